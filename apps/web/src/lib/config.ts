// What the build was configured with (VITE_* variables, read when the app is built).
const env = import.meta.env;

/** An empty variable counts as unset. */
const configured = (value: string | undefined): string | undefined => (value === "" ? undefined : value);

/** The API's base URL: its own origin, not the app's. */
export const apiUrl = (env.VITE_API_URL ?? "http://localhost:3000").replace(/\/$/, "");

/** Development sign-in, offered unless the build turns it off. */
export const devSignInEnabled = env.VITE_DEV_SIGN_IN !== "false";

/** Kakao's REST API key, when Kakao sign-in is configured. */
export const kakaoRestApiKey = configured(env.VITE_KAKAO_REST_API_KEY);

/** Apple's Services ID, when Sign in with Apple is configured. */
export const appleClientId = configured(env.VITE_APPLE_CLIENT_ID);
