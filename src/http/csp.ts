// The Content-Security-Policy: no inline scripts or styles, nothing from other origins but images.

/**
 * Sent on every response that does not set its own, with forms kept on this site. The sign-in and
 * consent pages pass `formsMayLeave`: their posts can end at an app's callback (a decision, or a
 * sign-in that resumes an authorization with remembered consent), and a native app's callback scheme
 * ("com.example.app:") must be named, or browsers refuse to follow it.
 */
export function contentSecurityPolicy(options: { formsMayLeave?: boolean; extraFormScheme?: string } = {}): string {
  const formAction = ["'self'", ...(options.formsMayLeave ? ['https:', 'http:'] : []), ...(options.extraFormScheme ? [options.extraFormScheme] : [])].join(' ');
  return `default-src 'self'; img-src 'self' https: http: data:; style-src 'self'; script-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
}
