/**
 * A pull tokenizer for event-pattern JSON that reproduces what AWS reports.
 *
 * EventBridge validates patterns with event-ruler, which reads them with Jackson and appends
 * Jackson's location to every complaint: `... \n at [Source: (String)"<pattern>"; line: 1,
 * column: 11]`. The column depends on how far Jackson has read when the complaint is raised
 * (strings are read lazily, the value after a field name is read ahead), so JSON.parse cannot
 * give the same answers; this reader keeps Jackson's read-ahead and lazy-string behaviour.
 * Syntax-error wordings are Jackson 2.17's (the version whose positions match AWS's recorded
 * answers); the rarer ones are best effort.
 */

export type Token =
  | 'START_OBJECT'
  | 'END_OBJECT'
  | 'START_ARRAY'
  | 'END_ARRAY'
  | 'FIELD_NAME'
  | 'VALUE_STRING'
  | 'VALUE_NUMBER_INT'
  | 'VALUE_NUMBER_FLOAT'
  | 'VALUE_TRUE'
  | 'VALUE_FALSE'
  | 'VALUE_NULL';

/** Jackson's JsonParseException: a reason plus where the reader stood. */
export class PatternParseError extends Error {
  constructor(
    readonly reason: string,
    readonly location: string,
  ) {
    super(`${reason}\n at ${location}`);
  }
}

/** What Jackson appends after "Unrecognized token" and "expected a valid value". */
const VALID_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const MAX_DEPTH = 1000; // Jackson StreamReadConstraints defaults
const MAX_NUMBER_LENGTH = 1000;
const MAX_SOURCE_SNIPPET = 500;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface Context {
  readonly kind: 'root' | 'array' | 'object';
  entries: number;
  readonly line: number;
  readonly column: number;
}

export function isNumeric(token: Token | null): boolean {
  return token === 'VALUE_NUMBER_INT' || token === 'VALUE_NUMBER_FLOAT';
}

export class JsonReader {
  private pos = 0;
  private line = 1;
  private rowStart = 0;
  private current: Token | null = null;
  private text: string | null = null;
  /** The value token Jackson reads ahead right after a field name. */
  private pending: Token | null = null;
  private pendingText: string | null = null;
  /** A string token whose characters have not been read yet. */
  private incomplete = false;
  private tokenLine = 1;
  private tokenColumn = 0;
  private readonly contexts: Context[] = [{ kind: 'root', entries: 0, line: 1, column: 0 }];
  private readonly sourceDescription: string;

  constructor(private readonly src: string) {
    this.sourceDescription = describeSource(src);
  }

  get token(): Token | null {
    return this.current;
  }

  /** Index of the next character Jackson would read. */
  get offset(): number {
    return this.pos;
  }

  /** Jackson's `getText()`: reading a string token's text completes it (and moves on). */
  getText(): string | null {
    switch (this.current) {
      case null:
        return null;
      case 'START_OBJECT':
        return '{';
      case 'END_OBJECT':
        return '}';
      case 'START_ARRAY':
        return '[';
      case 'END_ARRAY':
        return ']';
      case 'VALUE_STRING':
        if (this.incomplete) {
          this.text = this.readString(true);
          this.incomplete = false;
        }
        return this.text;
      default:
        return this.text;
    }
  }

  /** `[Source: (String)"..."; line: 1, column: 11]` at the current position. */
  location(minusOne = false): string {
    const column = this.pos - this.rowStart + (minusOne ? 0 : 1);
    return this.locationAt(this.line, column);
  }

  nextToken(): Token | null {
    if (this.current === 'FIELD_NAME') return this.nextAfterName();
    if (this.incomplete) {
      this.readString(false);
      this.incomplete = false;
    }
    this.text = null;
    let ch = this.skipWhitespaceOrEnd();
    const context = this.top();
    if (ch < 0) {
      if (context.kind !== 'root') {
        const marker = context.kind === 'array' ? 'Array' : 'Object';
        this.fail(
          `Unexpected end-of-input: expected close marker for ${marker} (start marker at ${this.locationAt(context.line, context.column)})`,
        );
      }
      this.current = null;
      return null;
    }
    if (ch === 0x5d || ch === 0x7d) {
      this.closeScope(ch);
      return this.current;
    }
    if (context.kind !== 'root' && context.entries > 0) ch = this.skipComma(ch, context);
    context.entries++;
    if (context.kind === 'object') {
      this.text = ch === QUOTE ? this.readName() : this.oddName(ch);
      this.current = 'FIELD_NAME';
      const valueStart = this.skipColon();
      this.markTokenStart();
      if (valueStart === QUOTE) {
        this.incomplete = true;
        this.pending = 'VALUE_STRING';
        this.pendingText = null;
      } else {
        this.pendingText = null;
        this.pending = this.readValueStart(valueStart, false);
      }
      return this.current;
    }
    this.markTokenStart();
    const token =
      ch === QUOTE ? this.startString() : this.readValueStart(ch, context.kind === 'root');
    this.current = token;
    this.text = this.pendingText;
    this.pendingText = null;
    this.openScopeFor(token);
    return token;
  }

  private nextAfterName(): Token | null {
    const token = this.pending;
    this.pending = null;
    this.current = token;
    this.text = this.pendingText;
    this.pendingText = null;
    this.openScopeFor(token);
    return token;
  }

  private startString(): Token {
    this.incomplete = true;
    return 'VALUE_STRING';
  }

  private openScopeFor(token: Token | null): void {
    if (token !== 'START_ARRAY' && token !== 'START_OBJECT') return;
    if (this.contexts.length > MAX_DEPTH) {
      this.fail(
        `Document nesting depth (${this.contexts.length}) exceeds the maximum allowed (${MAX_DEPTH}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`,
      );
    }
    this.contexts.push({
      kind: token === 'START_ARRAY' ? 'array' : 'object',
      entries: 0,
      line: this.tokenLine,
      column: this.tokenColumn,
    });
  }

  private closeScope(ch: number): void {
    const context = this.top();
    const closesArray = ch === 0x5d;
    if (context.kind !== (closesArray ? 'array' : 'object')) {
      const expected = context.kind === 'array' ? ']' : '}';
      const desc = context.kind === 'root' ? 'root' : context.kind === 'array' ? 'Array' : 'Object';
      this.failMinusOne(
        `Unexpected close marker '${String.fromCharCode(ch)}': expected '${expected}' (for ${desc} starting at ${this.locationAt(context.line, context.column)})`,
      );
    }
    this.contexts.pop();
    this.current = closesArray ? 'END_ARRAY' : 'END_OBJECT';
  }

  private top(): Context {
    return this.contexts[this.contexts.length - 1]!;
  }

  private markTokenStart(): void {
    this.tokenLine = this.line;
    this.tokenColumn = this.pos - this.rowStart;
  }

  /** Reads the first character(s) of a value; strings are left for later, as Jackson does. */
  private readValueStart(ch: number, atRoot: boolean): Token {
    switch (ch) {
      case QUOTE:
        this.incomplete = true;
        return 'VALUE_STRING';
      case 0x5b:
        return 'START_ARRAY';
      case 0x7b:
        return 'START_OBJECT';
      case 0x74:
        this.pendingText = this.matchLiteral('true');
        return 'VALUE_TRUE';
      case 0x66:
        this.pendingText = this.matchLiteral('false');
        return 'VALUE_FALSE';
      case 0x6e:
        this.pendingText = this.matchLiteral('null');
        return 'VALUE_NULL';
      default:
        if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) return this.readNumber(atRoot);
        return this.oddValue(ch);
    }
  }

  private readNumber(atRoot: boolean): Token {
    const start = this.pos - 1;
    let ch = this.src.charCodeAt(start);
    let float = false;
    if (ch === 0x2d) {
      ch = this.readChar();
      if (ch < 0) this.fail('Unexpected end-of-input in a Number value');
      if (ch < 0x30 || ch > 0x39) {
        this.failNumberChar(
          ch,
          'expected digit (0-9) to follow minus sign, for valid numeric value',
        );
      }
    }
    if (ch === 0x30 && isDigit(this.peek()))
      this.fail('Invalid numeric value: Leading zeroes not allowed');
    while (isDigit(this.peek())) this.pos++;
    if (this.peek() === 0x2e) {
      float = true;
      this.pos++;
      const next = this.readChar();
      if (!isDigit(next)) this.failNumberChar(next, 'Decimal point not followed by a digit');
      while (isDigit(this.peek())) this.pos++;
    }
    const e = this.peek();
    if (e === 0x65 || e === 0x45) {
      float = true;
      this.pos++;
      let next = this.readChar();
      if (next === 0x2b || next === 0x2d) next = this.readChar();
      if (!isDigit(next)) this.failNumberChar(next, 'Exponent indicator not followed by a digit');
      while (isDigit(this.peek())) this.pos++;
    }
    const text = this.src.slice(start, this.pos);
    if (text.length > MAX_NUMBER_LENGTH) {
      this.fail(
        `Number value length (${text.length}) exceeds the maximum allowed (${MAX_NUMBER_LENGTH}, from \`StreamReadConstraints.getMaxNumberLength()\`)`,
      );
    }
    if (atRoot) {
      const after = this.peek();
      if (after >= 0 && after !== 0x20 && after !== 0x09 && after !== 0x0a && after !== 0x0d) {
        this.pos++;
        this.failMinusOne(
          `Unexpected character (${charDesc(after)}): Expected space separating root-level values`,
        );
      }
    }
    this.pendingText = text;
    return float ? 'VALUE_NUMBER_FLOAT' : 'VALUE_NUMBER_INT';
  }

  private matchLiteral(word: string): string {
    for (let i = 1; i < word.length; i++) {
      if (this.pos >= this.src.length || this.src.charCodeAt(this.pos) !== word.charCodeAt(i)) {
        this.invalidToken(word.slice(0, i));
      }
      this.pos++;
    }
    const after = this.peek();
    if (after >= 0x30 && after !== 0x5d && after !== 0x7d && isIdentifierPart(after)) {
      this.invalidToken(word);
    }
    return word;
  }

  private oddValue(ch: number): never {
    if (ch === 0x2b) {
      const next = this.readChar();
      if (next < 0) this.fail('Unexpected end-of-input in a Number value');
      this.failNumberChar(
        0x2b,
        'JSON spec does not allow numbers to have plus signs: enable `JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS` to allow',
      );
    }
    if (isIdentifierStart(ch)) this.invalidToken(String.fromCharCode(ch));
    this.failMinusOne(
      `Unexpected character (${charDesc(ch)}): expected a valid value ${VALID_VALUES}`,
    );
  }

  private oddName(ch: number): never {
    this.failMinusOne(
      `Unexpected character (${charDesc(ch)}): was expecting double-quote to start field name`,
    );
  }

  /** Jackson's `_reportInvalidToken`: keeps reading identifier characters for the message. */
  private invalidToken(matched: string): never {
    let token = matched;
    while (this.pos < this.src.length) {
      const c = this.src.charCodeAt(this.pos);
      if (!isIdentifierPart(c)) break;
      this.pos++;
      token += String.fromCharCode(c);
      if (token.length >= 256) {
        token += '...';
        break;
      }
    }
    this.fail(`Unrecognized token '${token}': was expecting ${VALID_VALUES}`);
  }

  private readName(): string {
    let out = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= this.src.length) {
        this.fail(`Unexpected end-of-input: was expecting closing '"' for name`);
      }
      const c = this.src.charCodeAt(this.pos);
      if (c === QUOTE) {
        out += this.src.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c === BACKSLASH) {
        out += this.src.slice(runStart, this.pos);
        this.pos++;
        out += this.readEscape();
        runStart = this.pos;
        continue;
      }
      if (c < 0x20) {
        this.pos++;
        this.fail(
          `Illegal unquoted character (${charDesc(c)}): has to be escaped using backslash to be included in name`,
        );
      }
      this.pos++;
    }
  }

  /** Reads the rest of a string value; `keep` false only skips it (Jackson's `_skipString`). */
  private readString(keep: boolean): string {
    let out = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= this.src.length) {
        this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
      }
      const c = this.src.charCodeAt(this.pos);
      if (c === QUOTE) {
        if (keep) out += this.src.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c === BACKSLASH) {
        if (keep) out += this.src.slice(runStart, this.pos);
        this.pos++;
        const decoded = this.readEscape();
        if (keep) out += decoded;
        runStart = this.pos;
        continue;
      }
      if (c < 0x20) {
        this.pos++;
        this.fail(
          `Illegal unquoted character (${charDesc(c)}): has to be escaped using backslash to be included in string value`,
        );
      }
      this.pos++;
    }
  }

  private readEscape(): string {
    const c = this.readChar();
    switch (c) {
      case -1:
        return this.fail('Unexpected end-of-input in character escape sequence');
      case 0x62:
        return '\b';
      case 0x74:
        return '\t';
      case 0x6e:
        return '\n';
      case 0x66:
        return '\f';
      case 0x72:
        return '\r';
      case 0x2f:
        return '/';
      case QUOTE:
        return '"';
      case BACKSLASH:
        return '\\';
      case 0x75: {
        let value = 0;
        for (let i = 0; i < 4; i++) {
          const h = this.readChar();
          if (h < 0) this.fail('Unexpected end-of-input in character escape sequence');
          const digit = hexValue(h);
          if (digit < 0) {
            this.failMinusOne(
              `Unexpected character (${charDesc(h)}): expected a hex-digit for character escape sequence`,
            );
          }
          value = (value << 4) | digit;
        }
        return String.fromCharCode(value);
      }
      default:
        return this.fail(`Unrecognized character escape ${charDesc(c)}`);
    }
  }

  private skipWhitespaceOrEnd(): number {
    while (this.pos < this.src.length) {
      const c = this.src.charCodeAt(this.pos++);
      if (c > 0x20) {
        if (c === 0x2f) {
          this.failMinusOne(
            "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)",
          );
        }
        return c;
      }
      this.whitespace(c);
    }
    return -1;
  }

  private whitespace(c: number): void {
    if (c === 0x0a) {
      this.line++;
      this.rowStart = this.pos;
    } else if (c === 0x0d) {
      if (this.peek() === 0x0a) this.pos++;
      this.line++;
      this.rowStart = this.pos;
    } else if (c !== 0x20 && c !== 0x09) {
      this.failMinusOne(
        `Illegal character (${charDesc(c)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`,
      );
    }
  }

  private skipComma(ch: number, context: Context): number {
    const desc = context.kind === 'array' ? 'Array' : 'Object';
    if (ch !== 0x2c) {
      this.failMinusOne(
        `Unexpected character (${charDesc(ch)}): was expecting comma to separate ${desc} entries`,
      );
    }
    const next = this.skipWhitespaceOrEnd();
    if (next < 0) this.fail(`Unexpected end-of-input within/between ${desc} entries`);
    return next;
  }

  private skipColon(): number {
    const ch = this.skipWhitespaceOrEnd();
    if (ch < 0) this.fail('Unexpected end-of-input within/between Object entries');
    if (ch !== 0x3a) {
      this.failMinusOne(
        `Unexpected character (${charDesc(ch)}): was expecting a colon to separate field name and value`,
      );
    }
    const next = this.skipWhitespaceOrEnd();
    if (next < 0) this.fail('Unexpected end-of-input within/between Object entries');
    return next;
  }

  private peek(): number {
    return this.pos < this.src.length ? this.src.charCodeAt(this.pos) : -1;
  }

  private readChar(): number {
    return this.pos < this.src.length ? this.src.charCodeAt(this.pos++) : -1;
  }

  private failNumberChar(ch: number, comment: string): never {
    if (ch < 0) this.fail('Unexpected end-of-input in a Number value');
    this.fail(`Unexpected character (${charDesc(ch)}) in numeric value: ${comment}`);
  }

  private fail(reason: string): never {
    throw new PatternParseError(reason, this.location());
  }

  /** Jackson 2.17 reports an unexpected character at that character, not after it. */
  private failMinusOne(reason: string): never {
    throw new PatternParseError(reason, this.location(true));
  }

  private locationAt(line: number, column: number): string {
    return `[Source: ${this.sourceDescription}; line: ${line}, column: ${column}]`;
  }
}

/** Jackson's source description: the text, quoted, control characters escaped, cut at 500. */
function describeSource(src: string): string {
  const snippet = src.length > MAX_SOURCE_SNIPPET ? src.slice(0, MAX_SOURCE_SNIPPET) : src;
  let out = '(String)"';
  for (let i = 0; i < snippet.length; i++) {
    const c = snippet.charCodeAt(i);
    const control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
    out +=
      control && c !== 0x0a && c !== 0x0d
        ? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`
        : snippet[i];
  }
  out += '"';
  if (src.length > MAX_SOURCE_SNIPPET)
    out += `[truncated ${src.length - MAX_SOURCE_SNIPPET} chars]`;
  return out;
}

/** Jackson's `_getCharDesc`. */
function charDesc(c: number): string {
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return `(CTRL-CHAR, code ${c})`;
  const ch = String.fromCharCode(c);
  if (c > 255) return `'${ch}' (code ${c} / 0x${c.toString(16)})`;
  return `'${ch}' (code ${c})`;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

// Approximations of Java's Character.isJavaIdentifierStart/Part, used only to shape messages.
const IDENTIFIER_START = /[\p{L}\p{Nl}\p{Sc}\p{Pc}]/u;
const IDENTIFIER_PART = /[\p{L}\p{Nl}\p{Sc}\p{Pc}\p{Nd}\p{Mn}\p{Mc}]/u;

function isIdentifierStart(c: number): boolean {
  return IDENTIFIER_START.test(String.fromCharCode(c));
}

function isIdentifierPart(c: number): boolean {
  return IDENTIFIER_PART.test(String.fromCharCode(c));
}
