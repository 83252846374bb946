/** What a command may touch: its output streams, the environment and the stop signal. */
export interface OutputStream {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Terminal width when it is a TTY. */
  readonly columns: number | undefined;
}

export interface CliContext {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborted on the first SIGINT/SIGTERM; long commands stop cleanly and exit 130. */
  readonly signal: AbortSignal;
}
