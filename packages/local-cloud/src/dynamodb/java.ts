import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const INSTALL_HINT =
  'DynamoDB Local needs Java 17 or newer. Install it, for example ' +
  '`sudo apt-get install openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS), ' +
  'or set JAVA_HOME to a Java 17+ installation.';

/**
 * Finds the `java` executable without starting a JVM (that alone costs
 * ~100 ms): JAVA_HOME first, then PATH. Throws a message saying how to install Java.
 */
export function findJava(env: NodeJS.ProcessEnv = process.env): string {
  const exe = process.platform === 'win32' ? 'java.exe' : 'java';
  const candidates: string[] = [];
  if (env['JAVA_HOME']) candidates.push(join(env['JAVA_HOME'], 'bin', exe));
  for (const dir of (env['PATH'] ?? '').split(delimiter)) if (dir) candidates.push(join(dir, exe));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here; keep looking
    }
  }
  throw new Error(`Java was not found (looked in JAVA_HOME and PATH). ${INSTALL_HINT}`);
}

/** Turns DynamoDB Local's dying words into advice, when we recognise them. */
export function explainJavaFailure(output: string): string | undefined {
  if (/UnsupportedClassVersionError|class file version/.test(output)) {
    return `The installed Java is too old for DynamoDB Local. ${INSTALL_HINT}`;
  }
  if (/Address already in use|BindException/.test(output)) {
    return 'DynamoDB Local could not bind its private port (taken by another process).';
  }
  return undefined;
}
