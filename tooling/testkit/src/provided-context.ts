// Values the global setup hands to every test file through vitest's provide/inject.
declare module "vitest" {
  export interface ProvidedContext {
    /** A URL with rights to create databases, on the server all tests use. */
    adminDatabaseUrl: string;
    /** A migrated database to clone from; never connected to while tests run. */
    templateDatabase: string;
  }
}

export {};
