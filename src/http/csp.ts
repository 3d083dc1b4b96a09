// The Content-Security-Policy: no inline scripts or styles, nothing from other origins but images.

/**
 * Sent on every response that does not set its own. Forms may lead to any web address (an OAuth
 * decision ends at the app's callback); the consent page adds the scheme of a native app's callback
 * ("com.example.app:"), which browsers would otherwise refuse to follow.
 */
export function contentSecurityPolicy(extraFormScheme?: string): string {
  const formAction = ["'self'", 'https:', 'http:', ...(extraFormScheme ? [extraFormScheme] : [])].join(' ');
  return `default-src 'self'; img-src 'self' https: http: data:; style-src 'self'; script-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
}
