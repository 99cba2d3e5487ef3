// JSON Schema of the ops config. The published copy, shared/schema/ops-config.schema.json (for editor
// completion), is written from this object by `npm run build`; a test fails when the two drift apart.

export const OPS_CONFIG_SCHEMA = {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://github.com/a2a-world/a2a-ops/shared/schema/ops-config.schema.json",
  "title": "a2a-ops platform config (.github/ops.yml)",
  "description": "Describes the A2A World platform for the a2a-ops actions. Every key is optional; defaults are the runbook's numbers. Action inputs override these values.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "platform": { "type": "string", "description": "Name shown in reports and issues.", "default": "a2a-world" },
    "hosts": {
      "type": "array",
      "description": "App hosts reached over SSH.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "address"],
        "properties": {
          "name": { "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", "description": "Short name used in `hosts` inputs and reports." },
          "address": { "type": "string", "minLength": 1, "description": "DNS name or IP address." },
          "port": { "type": "integer", "minimum": 1, "maximum": 65535, "default": 22 },
          "user": { "type": "string", "pattern": "^[a-z_][a-z0-9_-]{0,31}$", "description": "SSH user; defaults to ssh.user." },
          "roles": { "type": "array", "items": { "type": "string" }, "default": ["app"], "description": "e.g. app, db, certs." },
          "compose": {
            "type": "object",
            "additionalProperties": false,
            "description": "Where this host's compose project differs from the top-level compose section.",
            "properties": {
              "project-dir": { "type": "string" },
              "file": { "type": "string" },
              "env-file": { "type": "string" },
              "project-name": { "type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$" }
            }
          }
        }
      }
    },
    "compose": {
      "type": "object",
      "additionalProperties": false,
      "description": "The docker compose project on each app host.",
      "properties": {
        "project-dir": { "type": "string", "default": "/opt/a2a-world" },
        "file": { "type": "string", "default": "docker-compose.production.yml" },
        "env-file": { "type": "string", "default": ".env.production" },
        "command": { "enum": ["docker compose", "docker-compose", "auto"], "default": "auto", "description": "Which compose CLI the hosts run; auto detects it on each host (docker compose first, then docker-compose)." },
        "project-name": { "type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$" }
      }
    },
    "services": {
      "type": "object",
      "description": "Compose services by name.",
      "propertyNames": { "pattern": "^[a-z0-9][a-z0-9_.-]{0,62}$" },
      "additionalProperties": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "replicas": { "type": "integer", "minimum": 0, "maximum": 64, "default": 1 },
          "health-url": { "type": "string", "format": "uri" }
        }
      }
    },
    "endpoints": {
      "type": "array",
      "description": "Public endpoints for the HTTP and TLS checks.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["url"],
        "properties": {
          "name": { "type": "string" },
          "url": { "type": "string", "pattern": "^https?://" },
          "method": { "enum": ["GET", "HEAD", "POST"], "default": "GET" },
          "expect-status": {
            "oneOf": [
              { "type": "integer", "minimum": 100, "maximum": 599 },
              { "type": "array", "items": { "type": "integer", "minimum": 100, "maximum": 599 }, "minItems": 1 }
            ],
            "default": 200
          },
          "expect-body": { "type": "string", "description": "Text the body must contain." },
          "expect-headers": { "type": "object", "additionalProperties": { "type": "string" }, "description": "Response headers that must be present with these values (case-insensitive names)." },
          "headers": { "type": "object", "additionalProperties": { "type": "string" }, "description": "Request headers; `${{ env.NAME }}` is replaced from the environment (secrets stay masked)." },
          "tls": { "type": "boolean", "default": true, "description": "Also check the certificate (https only)." }
        }
      }
    },
    "database": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "service": { "type": "string", "default": "postgres" },
        "name": { "type": "string", "default": "a2a_world" },
        "user": { "type": "string", "default": "a2a_user" },
        "url-env": { "type": "string", "pattern": "^[A-Z_][A-Z0-9_]*$", "description": "Environment variable holding a direct connection URL." }
      }
    },
    "thresholds": {
      "type": "object",
      "additionalProperties": false,
      "description": "The runbook's Key Metrics and Alert Thresholds.",
      "properties": {
        "latency-warn": { "$ref": "#/definitions/duration", "default": "500ms", "description": "Response time above which an endpoint is degraded (warn)." },
        "latency-fail": { "$ref": "#/definitions/duration", "default": "2s", "description": "Response time above which an endpoint is down (fail)." },
        "cpu-fail-percent": { "type": "number", "minimum": 1, "maximum": 100, "default": 80, "description": "CPU use that fails once sustained for cpu-window." },
        "cpu-window": { "$ref": "#/definitions/duration", "default": "5m" },
        "memory-warn-percent": { "type": "number", "minimum": 1, "maximum": 100, "default": 80 },
        "memory-fail-percent": { "type": "number", "minimum": 1, "maximum": 100, "default": 85 },
        "memory-window": { "$ref": "#/definitions/duration", "default": "3m" },
        "disk-warn-percent": { "type": "number", "minimum": 1, "maximum": 100, "default": 85 },
        "disk-fail-percent": { "type": "number", "minimum": 1, "maximum": 100, "default": 90 },
        "db-connections-warn-percent": { "type": "number", "minimum": 1, "maximum": 100, "default": 80 },
        "db-connections-fail": { "type": "integer", "minimum": 1, "default": 100 },
        "long-query": { "$ref": "#/definitions/duration", "default": "5m" },
        "tls-warn-days": { "type": "number", "minimum": 0, "default": 30 },
        "tls-fail-days": { "type": "number", "minimum": 0, "default": 7 }
      }
    },
    "issues": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "labels": { "type": "array", "items": { "type": "string", "minLength": 1 }, "minItems": 1, "default": ["a2a-ops", "incident"] },
        "failures-to-open": { "type": "integer", "minimum": 1, "maximum": 100, "default": 1 },
        "successes-to-close": { "type": "integer", "minimum": 1, "maximum": 100, "default": 1 },
        "comment-interval": { "$ref": "#/definitions/duration", "default": "6h", "description": "While an incident continues with the same failure, at most one comment per this interval; a changed failure comments at once. 0 comments on every failing run." },
        "maintenance-label": { "type": "string", "default": "maintenance" },
        "maintenance-windows": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["start", "end"],
            "properties": {
              "start": { "type": "string", "format": "date-time" },
              "end": { "type": "string", "format": "date-time" },
              "reason": { "type": "string" }
            }
          }
        },
        "assignees": { "type": "array", "items": { "type": "string" }, "default": [] }
      }
    },
    "ssh": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "user": { "type": "string", "pattern": "^[a-z_][a-z0-9_-]{0,31}$", "default": "deploy" },
        "connect-timeout": { "$ref": "#/definitions/duration", "default": "20s" },
        "command-timeout": { "$ref": "#/definitions/duration", "default": "10m" },
        "keepalive-interval": { "$ref": "#/definitions/duration", "default": "10s" },
        "keepalive-count-max": { "type": "integer", "minimum": 1, "maximum": 20, "default": 3 },
        "parallel": { "type": "integer", "minimum": 1, "maximum": 64, "default": 4 },
        "jump-host": { "type": "string", "description": "Bastion, [user@]host[:port]." }
      }
    }
  },
  "definitions": {
    "duration": {
      "description": "A duration with its unit: 500ms, 90s, 5m, 1h, 2d (only 0 goes without one).",
      "oneOf": [
        { "type": "string", "pattern": "^(0|\\d+(\\.\\d+)?\\s*(ms|s|m|h|d))$" },
        { "const": 0 }
      ]
    }
  }
};
