import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";

const WEB_ROOT = path.join(import.meta.dirname, "..");
const VITE = path.join(WEB_ROOT, "node_modules", "vite", "bin", "vite.js");
const DEFAULT_OUT_DIR = path.join(WEB_ROOT, "dist");

/**
 * `vite build` as a deployment runs it, in a process of its own: production mode whatever the
 * caller's NODE_ENV (a test run's, a development shell's), which would otherwise give React's
 * development build; configured by the VITE_* variables given (e.g. VITE_API_URL).
 */
export async function buildWebApp(
  outDir = DEFAULT_OUT_DIR,
  options: { env?: Record<string, string>; sourcemap?: boolean } = {},
): Promise<void> {
  const args = [
    VITE,
    "build",
    "--outDir",
    outDir,
    "--emptyOutDir",
    "--logLevel",
    "warn",
    ...(options.sourcemap ? ["--sourcemap"] : []),
    // Vite refuses a build while another of the project runs (its command lock), which guards the
    // shared dist/; a build into a folder of its own (a test's) cannot collide with another.
    ...(outDir === DEFAULT_OUT_DIR ? [] : ["--bypass-lock"]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: WEB_ROOT,
    env: { ...process.env, NODE_ENV: "production", ...options.env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`vite build exited with ${code}`);
}

// The package's `build` script (turbo's build task) runs this file: one way to build the app.
if (import.meta.main) await buildWebApp();
