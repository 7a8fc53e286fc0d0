/**
 * Query parameters that carry a credential: passwords, and the signature and tokens of a
 * presigned object-store URL, which grant access as a password does until they expire.
 */
const SECRET_NAMES = "password|pwd|pass|x-amz-signature|x-amz-credential|x-amz-security-token|sig|signature|token|access_token";
const SECRET_PARAMETER = new RegExp(`^(?:${SECRET_NAMES})$`, "i");
const SECRET_PARAMETER_IN_TEXT = new RegExp(`([?&;]\\s*(?:${SECRET_NAMES})=)[^&;\\s"']*`, "gi");

/**
 * Text with the passwords of URLs masked: `scheme://user:secret@host` and credential
 * parameters (`password=`, a presigned URL's signature). Reports, dead letters and warnings
 * are passed around; a connection URL or a server's message may carry credentials.
 */
export function redactSecrets(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]*@/gi, "$1:***@").replace(SECRET_PARAMETER_IN_TEXT, "$1***");
}

/** A URL fit for logs, names and messages: its password and credential parameters masked; undefined when it is no URL. */
export function urlWithoutPassword(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const name of [...parsed.searchParams.keys()]) if (SECRET_PARAMETER.test(name)) parsed.searchParams.set(name, "***");
    return parsed.toString();
  } catch {
    return undefined;
  }
}
