/** Where a command writes: results on stdout, progress, questions and errors on stderr. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}
