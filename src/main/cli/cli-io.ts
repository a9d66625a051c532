/** Where a CLI command writes: its result on stdout, progress, prompts and errors on stderr. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}
