import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The app has an origin of its own (http://localhost:5173) and calls the API at VITE_API_URL.
export const WEB_PORT = 5173;

export default defineConfig({
  plugins: [react()],
  server: { port: WEB_PORT, strictPort: true },
  preview: { port: WEB_PORT, strictPort: true },
  build: { target: "es2022" },
});
