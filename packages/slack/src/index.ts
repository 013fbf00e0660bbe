export { createErrorReporter, type ErrorReporter, type ErrorReporterOptions } from "./error-reports.ts";
export { createReportingLogger } from "./reporting-logger.ts";
