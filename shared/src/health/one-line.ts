// Untrusted remote text (a header, a greeting, an error) put into a one-line check message.

/**
 * Flattens `text` to one line without control characters and bounds its length, so a hostile answer
 * can neither break a table row nor start a log line with a workflow command such as `::add-mask::`.
 */
export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
