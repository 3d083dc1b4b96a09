// The little of node-oidc-provider's API the bench uses (the package ships no types; @types/oidc-provider is not installed).
declare module 'oidc-provider' {
  import type { Server } from 'node:http';

  export interface AdapterPayload {
    [field: string]: unknown;
    grantId?: string;
    uid?: string;
    userCode?: string;
    consumed?: unknown;
  }

  export interface Client {
    clientId: string;
  }

  interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  interface RefreshToken {
    save(): Promise<string>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    listen(port: number, host: string, callback?: () => void): Server;
    readonly Client: { find(id: string): Promise<Client | undefined> };
    readonly Grant: new (fields: { accountId: string; clientId: string }) => Grant;
    readonly RefreshToken: new (fields: Record<string, unknown>) => RefreshToken;
  }
  export default Provider;
}
