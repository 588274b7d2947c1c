/**
 * The process environment as the AWS layer reads it. Passed in rather than read from
 * `process.env`, so tests state the variables they mean and nothing leaks between them.
 */
export type Environment = Readonly<Record<string, string | undefined>>;
