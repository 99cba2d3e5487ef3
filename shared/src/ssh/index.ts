// SSH: connections with pinned host keys, streamed exec, remote process control, quoting. See ssh/README in JSDoc.
export {};
