import https from "node:https";
import net from "node:net";
import type { Credential } from "firebase-admin/app";
import { SignJWT, importPKCS8 } from "jose";
import { FCM_AGENT_OPTIONS } from "./transport.ts";

/**
 * An agent for the Firebase Admin SDK (its `httpAgent` app option, also given to the
 * credential) that connects every request, whatever Google host it names, to a local
 * stand-in over plain TCP. The SDK still builds its real requests (OAuth token exchange,
 * FCM v1 sends, topic subscriptions); only the socket ends somewhere else. The Host header
 * keeps naming the Google service, so the stand-in can tell them apart.
 */
export function createStandInAgent(standInUrl: string): https.Agent {
  const { hostname, port } = new URL(standInUrl);
  const agent = new https.Agent(FCM_AGENT_OPTIONS);
  agent.createConnection = () => net.connect({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port || 80) });
  return agent;
}

/**
 * The credential for a stand-in: the same JWT-bearer exchange a service account makes with
 * Google (an RS256 assertion signed with its private key), sent to the stand-in's /token.
 * firebase-admin's own `cert()` cannot be routed: its OAuth client ignores the app's agent.
 */
export function createStandInCredential(standInUrl: string, serviceAccount: { client_email: string; private_key: string }): Credential {
  return {
    async getAccessToken() {
      const key = await importPKCS8(serviceAccount.private_key, "RS256");
      const assertion = await new SignJWT({ scope: "https://www.googleapis.com/auth/firebase.messaging" })
        .setProtectedHeader({ alg: "RS256", typ: "JWT" })
        .setIssuer(serviceAccount.client_email)
        .setAudience("https://oauth2.googleapis.com/token")
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(key);
      const response = await fetch(new URL("/token", standInUrl), {
        method: "POST",
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
      });
      if (!response.ok) throw new Error(`stand-in token endpoint answered ${response.status}`);
      return (await response.json()) as { access_token: string; expires_in: number };
    },
  };
}
