/**
 * Access logging of an HTTP API stage: the AccessLogSettings.Format with its
 * `$context.*` variables filled in, one line per request, appended to the log
 * group DestinationArn names. Unknown or absent variables render as `-`, as
 * API Gateway renders them. Only the variables below exist: no header value
 * but the user agent, no token and no body can reach a line.
 */
export interface AccessLogSettings {
  readonly logGroupName: string;
  readonly format: string;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` -> `<name>`. */
export function logGroupOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:logs:[^:]*:\d{12}:log-group:(.+?)(?::\*)?$/.exec(arn)?.[1];
}

export type AccessLogContext = Readonly<Record<string, string | number | undefined>>;

export function renderAccessLog(format: string, context: AccessLogContext): string {
  const json = format.trim().startsWith('{');
  return format.replace(/\$context\.([A-Za-z0-9_.:-]+[A-Za-z0-9_:-])/g, (_m, name: string) => {
    const v = context[name];
    const s = v === undefined || v === '' ? '-' : String(v);
    return json ? JSON.stringify(s).slice(1, -1) : s;
  });
}
