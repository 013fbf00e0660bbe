import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { webPort } from "./origin.ts";

// The app has an origin of its own (http://localhost:5173) and calls the API at VITE_API_URL.
export default defineConfig({
  plugins: [react()],
  server: { port: webPort(), strictPort: true },
  preview: { port: webPort(), strictPort: true },
  build: { target: "es2022" },
});
