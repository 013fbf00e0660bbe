/** pg-boss keeps its tables in their own schema, beside the application's. */
export const JOB_QUEUE_SCHEMA = "pgboss";
