/**
 * Text with the passwords of URLs masked: `scheme://user:secret@host` and `password=secret`
 * parameters. Reports, dead letters and warnings are passed around; a connection URL or a
 * server's message may carry credentials.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]*@/gi, "$1:***@")
    .replace(/([?&;]\s*(?:password|pwd|pass)=)[^&;\s]*/gi, "$1***");
}

/** A URL fit for logs, names and messages: its password and any `password` parameter masked; undefined when it is no URL. */
export function urlWithoutPassword(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "***");
    return parsed.toString();
  } catch {
    return undefined;
  }
}
