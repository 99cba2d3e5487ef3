#!/bin/sh
# Healthy while the agent saw NATS's INFO greeting within the last 3 polls.
[ -f /tmp/nats-seen ] || { echo "no NATS greeting seen"; exit 1; }
age=$(( $(date +%s) - $(cat /tmp/nats-seen) ))
max=$(( ${AGENT_POLL_SECONDS:-2} * 3 ))
[ "$age" -le "$max" ] || { echo "last NATS greeting ${age}s ago"; exit 1; }
echo "NATS greeting ${age}s ago"
