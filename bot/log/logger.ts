/**
 * Structured logs, one JSON object per line. Message text is personal data: callers pass it only
 * through `debugText`, which is dropped unless the level is debug.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  /** Adds fields to every line of the returned logger. */
  child(fields: Record<string, unknown>): Logger;
  /** The text itself at debug level, or its length only at any other level. */
  debugText(text: string): string | { readonly length: number };
  readonly level: LogLevel;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line), base: Record<string, unknown> = {}): Logger {
  const emit = (at: LogLevel, msg: string, fields: Record<string, unknown> = {}): void => {
    if (ORDER[at] > ORDER[level]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...base, ...fields }, errorReplacer)}\n`);
  };
  return {
    level,
    error: (msg, fields) => emit('error', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    debug: (msg, fields) => emit('debug', msg, fields),
    child: (fields) => createLogger(level, write, { ...base, ...fields }),
    debugText: (text) => (level === 'debug' ? text : { length: text.length }),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack?.split('\n').slice(0, 6).join('\n') };
  return value;
}
