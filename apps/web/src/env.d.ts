// Build-time configuration (see the README's "Web app" section).
interface ImportMetaEnv {
  /** The API's base URL, another origin than the app's. */
  readonly VITE_API_URL?: string;
  /** "false" hides development sign-in (production builds). */
  readonly VITE_DEV_SIGN_IN?: string;
  /** Kakao's REST API key: shows the Kakao button. */
  readonly VITE_KAKAO_REST_API_KEY?: string;
  /** Apple's Services ID (one of the server's APPLE_CLIENT_IDS): shows the Apple button. */
  readonly VITE_APPLE_CLIENT_ID?: string;
}
