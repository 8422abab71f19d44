import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainJavaFailure, findJava } from '../../src/dynamodb/java.js';

const empty = mkdtempSync(join(tmpdir(), 'no-java-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('finding Java for DynamoDB Local', () => {
  it('says how to install Java 17+ when there is none', () => {
    expect(() => findJava({ PATH: empty })).toThrow(
      /Java was not found \(looked in JAVA_HOME and PATH\)\. DynamoDB Local needs Java 17 or newer\. .*apt-get install openjdk-17-jre-headless/,
    );
  });

  it('finds the java on PATH without starting a JVM', () => {
    expect(findJava(process.env)).toMatch(/java(\.exe)?$/);
  });

  it('explains a Java too old for DynamoDB Local', () => {
    const output =
      'Exception in thread "main" java.lang.UnsupportedClassVersionError: ... class file version 61.0';
    expect(explainJavaFailure(output)).toMatch(/too old .* Java 17 or newer/);
    expect(explainJavaFailure('all fine')).toBeUndefined();
  });
});
