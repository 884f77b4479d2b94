// URLs printed to stdout or the log must never carry a secret: a URL may hold basic-auth userinfo
// or a key in its query string, and the Job's output ends up in `kubectl logs` and on the claim.

const SECRET_PARAM = /key|token|secret|pass|auth|sig|credential/i

/** The URL as it may be shown to people: no userinfo, secret-looking query values replaced. */
export function publicUrl(raw: string): string {
  const url = new URL(raw)
  url.username = ''
  url.password = ''
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, 'redacted')
  }
  return url.href
}
