// go-yaml v2's reader, scanner and parser, as vendored by kubeconform 0.7.0
// (vendor/sigs.k8s.io/yaml/goyaml.v2/{readerc,scannerc,parserc,decode}.go), ported only to find the first
// syntax error of a document and word it exactly as go-yaml does: "yaml: line 3: mapping values are not
// allowed in this context", with go-yaml's line numbering (decode.go:111 fail()). js-yaml decides whether a
// document is valid; this runs only when js-yaml refused it, to give kubeconform's text. Token and event
// values are not built, except anchors, tag handles and directives, which the parser's checks need.
// Function names are go-yaml's; file:line comments point at the Go source they mirror.

const T = { NONE: 0, STREAM_START: 1, STREAM_END: 2, VERSION_DIRECTIVE: 3, TAG_DIRECTIVE: 4, DOCUMENT_START: 5, DOCUMENT_END: 6, BLOCK_SEQUENCE_START: 7, BLOCK_MAPPING_START: 8, BLOCK_END: 9, FLOW_SEQUENCE_START: 10, FLOW_SEQUENCE_END: 11, FLOW_MAPPING_START: 12, FLOW_MAPPING_END: 13, BLOCK_ENTRY: 14, FLOW_ENTRY: 15, KEY: 16, VALUE: 17, ALIAS: 18, ANCHOR: 19, TAG: 20, SCALAR: 21 } as const; // yamlh.go yaml_token_type_t
type T = (typeof T)[keyof typeof T];
const E = { NONE: 0, STREAM_START: 1, STREAM_END: 2, DOCUMENT_START: 3, DOCUMENT_END: 4, ALIAS: 5, SCALAR: 6, SEQUENCE_START: 7, SEQUENCE_END: 8, MAPPING_START: 9, MAPPING_END: 10 } as const; // yamlh.go:229 yaml_event_type_t
type E = (typeof E)[keyof typeof E];
const EVENT_NAMES = ["none", "stream start", "stream end", "document start", "document end", "alias", "scalar", "sequence start", "sequence end", "mapping start", "mapping end"];
const S = { STREAM_START: 0, IMPLICIT_DOCUMENT_START: 1, DOCUMENT_START: 2, DOCUMENT_CONTENT: 3, DOCUMENT_END: 4, BLOCK_NODE: 5, BLOCK_NODE_OR_INDENTLESS_SEQUENCE: 6, FLOW_NODE: 7, BLOCK_SEQUENCE_FIRST_ENTRY: 8, BLOCK_SEQUENCE_ENTRY: 9, INDENTLESS_SEQUENCE_ENTRY: 10, BLOCK_MAPPING_FIRST_KEY: 11, BLOCK_MAPPING_KEY: 12, BLOCK_MAPPING_VALUE: 13, FLOW_SEQUENCE_FIRST_ENTRY: 14, FLOW_SEQUENCE_ENTRY: 15, FLOW_SEQUENCE_ENTRY_MAPPING_KEY: 16, FLOW_SEQUENCE_ENTRY_MAPPING_VALUE: 17, FLOW_SEQUENCE_ENTRY_MAPPING_END: 18, FLOW_MAPPING_FIRST_KEY: 19, FLOW_MAPPING_KEY: 20, FLOW_MAPPING_VALUE: 21, FLOW_MAPPING_EMPTY_VALUE: 22, END: 23 } as const; // yamlh.go yaml_parser_state_t
type S = (typeof S)[keyof typeof S];
const Err = { NONE: 0, READER: 1, SCANNER: 2, PARSER: 3 } as const;
type Err = (typeof Err)[keyof typeof Err];

interface Mark { index: number; line: number; column: number }
interface Token { typ: T; start: Mark; end: Mark; value?: string; suffix?: string; prefix?: string; major?: number; minor?: number; plain?: boolean }
interface Event { typ: E; start: Mark; anchor?: string }
interface SimpleKey { possible: boolean; required: boolean; tokenNumber: number; mark: Mark }

const RAW_SIZE = 512; // yamlprivateh.go:5 input_raw_buffer_size
const MAX_FLOW_LEVEL = 10000; // scannerc.go:896
const MAX_INDENTS = 10000; // scannerc.go:932
const ZERO: Mark = { index: 0, line: 0, column: 0 };
const copyMark = (m: Mark): Mark => ({ index: m.index, line: m.line, column: m.column });

class GoYamlParser {
  // --- reader state (readerc.go)
  private readonly input: Uint8Array;
  private inputPos = 0;
  private readonly raw = new Uint8Array(RAW_SIZE);
  private rawLen = 0;
  private rawPos = 0;
  private eof = false;
  private encodingKnown = false;
  /** Decoded characters (code points; go-yaml keeps UTF-8 bytes, one character per slot here). */
  private readonly buffer: number[] = [];
  private pos = 0;
  private unread = 0;
  /** Where go-yaml's buffer starts (it moves the unread part to the front when it reads more) and its length. */
  private bufferStart = 0;
  private bufferLength = 0;
  // --- scanner state (scannerc.go)
  mark: Mark = { index: 0, line: 0, column: 0 };
  error: Err = Err.NONE;
  problem = "";
  problemMark: Mark = ZERO;
  contextMark: Mark = ZERO;
  private streamStartProduced = false;
  private streamEndProduced = false;
  private flowLevel = 0;
  private tokens: Token[] = [];
  private tokensHead = 0;
  private tokensParsed = 0;
  private tokenAvailable = false;
  private indent = -1;
  private indents: number[] = [];
  private simpleKeyAllowed = false;
  private simpleKeys: SimpleKey[] = [];
  private simpleKeysByTok = new Map<number, number>();
  // --- parser state (parserc.go)
  private state: S = S.STREAM_START;
  private states: S[] = [];
  private marks: Mark[] = [];
  private tagDirectives: { handle: string; prefix: string }[] = [];
  /** Where an anchor or alias name ends at one of `?:%@\`` (js-yaml reads that character into the name). */
  readonly joined: Mark[] = [];
  /** Plain scalars inside flow collections that go on to later lines (js-yaml reads none: "missed comma"). */
  readonly flowPlain: [Mark, Mark][] = [];
  /** Lines (0-based) started inside a flow collection, with the block indentation around it (`yaml` wants them deeper). */
  readonly flowLines: [number, number][] = [];

  constructor(input: Uint8Array) {
    this.input = input;
  }

  private at(i: number): number {
    return this.buffer[i] ?? 0;
  }

  // --- readerc.go ----------------------------------------------------------------------------------

  private readerError(problem: string): false {
    this.error = Err.READER;
    this.problem = problem;
    return false;
  }

  /** readerc.go:56 yaml_parser_update_raw_buffer (the string read handler, apic.go:41). */
  private updateRawBuffer(): void {
    if (this.rawPos === 0 && this.rawLen === RAW_SIZE) return;
    if (this.eof) return;
    if (this.rawPos > 0 && this.rawPos < this.rawLen) this.raw.copyWithin(0, this.rawPos, this.rawLen);
    this.rawLen -= this.rawPos;
    this.rawPos = 0;
    if (this.inputPos === this.input.length) {
      this.eof = true;
      return;
    }
    const n = Math.min(RAW_SIZE - this.rawLen, this.input.length - this.inputPos);
    this.raw.set(this.input.subarray(this.inputPos, this.inputPos + n), this.rawLen);
    this.inputPos += n;
    this.rawLen += n;
  }

  /** readerc.go:25 yaml_parser_determine_encoding (UTF-8 only: the text comes from a JavaScript string). */
  private determineEncoding(): void {
    while (!this.eof && this.rawLen - this.rawPos < 3) this.updateRawBuffer();
    if (this.rawLen - this.rawPos >= 3 && this.raw[this.rawPos] === 0xef && this.raw[this.rawPos + 1] === 0xbb && this.raw[this.rawPos + 2] === 0xbf) this.rawPos += 3;
    this.encodingKnown = true;
  }

  /** readerc.go:91 yaml_parser_update_buffer: decodes all of the raw buffer (512 bytes) at a time. */
  private updateBuffer(length: number): boolean {
    if (this.unread >= length) return true;
    if (!this.encodingKnown) this.determineEncoding();
    // readerc.go:123: the unread part moves to the front of the buffer
    if (this.pos > this.bufferStart && this.pos < this.bufferStart + this.bufferLength) {
      this.bufferLength -= this.pos - this.bufferStart;
      this.bufferStart = this.pos;
    } else if (this.pos === this.bufferStart + this.bufferLength) {
      this.bufferLength = 0;
      this.bufferStart = this.pos;
    }
    let first = true;
    while (this.unread < length) {
      if (!first || this.rawPos === this.rawLen) this.updateRawBuffer();
      first = false;
      while (this.rawPos !== this.rawLen) {
        const rawUnread = this.rawLen - this.rawPos;
        let octet = this.raw[this.rawPos]!;
        const width = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
        if (width === 0) return this.readerError("invalid leading UTF-8 octet");
        if (width > rawUnread) {
          if (this.eof) return this.readerError("incomplete UTF-8 octet sequence");
          break;
        }
        let value = width === 1 ? octet & 0x7f : width === 2 ? octet & 0x1f : width === 3 ? octet & 0x0f : octet & 0x07;
        for (let k = 1; k < width; k++) {
          octet = this.raw[this.rawPos + k]!;
          if ((octet & 0xc0) !== 0x80) return this.readerError("invalid trailing UTF-8 octet");
          value = (value << 6) + (octet & 0x3f);
        }
        if (!(width === 1 || (width === 2 && value >= 0x80) || (width === 3 && value >= 0x800) || (width === 4 && value >= 0x10000))) {
          return this.readerError("invalid length of a UTF-8 sequence");
        }
        if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return this.readerError("invalid Unicode character");
        // readerc.go:360: the printable characters of YAML 1.1
        if (!(value === 0x09 || value === 0x0a || value === 0x0d || (value >= 0x20 && value <= 0x7e) || value === 0x85 ||
          (value >= 0xa0 && value <= 0xd7ff) || (value >= 0xe000 && value <= 0xfffd) || (value >= 0x10000 && value <= 0x10ffff))) {
          return this.readerError("control characters are not allowed");
        }
        this.rawPos += width;
        this.buffer.push(value);
        this.bufferLength++;
        this.unread++;
      }
      if (this.eof) {
        this.buffer.push(0);
        this.bufferLength++;
        this.unread++;
        break;
      }
    }
    this.bufferLength = Math.max(this.bufferLength, length); // readerc.go:403: padded with NULs
    return true;
  }

  private cache(length: number): boolean {
    return this.unread >= length || this.updateBuffer(length);
  }

  // --- character classes (yamlprivateh.go), on code points ---------------------------------------------

  private isBlank(i: number): boolean {
    const c = this.at(i);
    return c === 0x20 || c === 0x09;
  }
  private isBreak(i: number): boolean {
    const c = this.at(i);
    return c === 0x0d || c === 0x0a || c === 0x85 || c === 0x2028 || c === 0x2029;
  }
  private isBreakz(i: number): boolean {
    return this.isBreak(i) || this.at(i) === 0;
  }
  private isBlankz(i: number): boolean {
    return this.isBlank(i) || this.isBreakz(i);
  }
  private isAlpha(i: number): boolean {
    const c = this.at(i);
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
  }
  private isDigit(i: number): boolean {
    const c = this.at(i);
    return c >= 0x30 && c <= 0x39;
  }
  private isHex(i: number): boolean {
    const c = this.at(i);
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
  }
  private ch(i: number): string {
    return String.fromCodePoint(this.at(i));
  }

  // --- scannerc.go:485-570 buffer moves ------------------------------------------------------------------

  private skip(): void {
    this.mark.index++;
    this.mark.column++;
    this.unread--;
    this.pos++;
  }
  private skipLine(): void {
    if (this.at(this.pos) === 0x0d && this.at(this.pos + 1) === 0x0a) {
      this.mark.index += 2;
      this.mark.column = 0;
      this.mark.line++;
      this.unread -= 2;
      this.pos += 2;
    } else if (this.isBreak(this.pos)) {
      this.mark.index++;
      this.mark.column = 0;
      this.mark.line++;
      this.unread--;
      this.pos++;
    } else return;
    if (this.flowLevel > 0) this.flowLines.push([this.mark.line, this.indent]);
  }
  private read(): string {
    const c = this.ch(this.pos);
    this.skip();
    return c;
  }
  private readLine(): void {
    const c = this.at(this.pos);
    if (c === 0x0d && this.at(this.pos + 1) === 0x0a) {
      this.pos += 2;
      this.mark.index++;
      this.unread--;
    } else if (this.isBreak(this.pos)) this.pos++;
    else return;
    this.mark.index++;
    this.mark.column = 0;
    this.mark.line++;
    this.unread--;
    if (this.flowLevel > 0) this.flowLines.push([this.mark.line, this.indent]);
  }

  // --- tokens ---------------------------------------------------------------------------------------------

  /** scannerc.go:600 */
  private scannerError(context: string, contextMark: Mark, problem: string): false {
    this.error = Err.SCANNER;
    this.contextMark = copyMark(contextMark);
    this.problem = problem;
    this.problemMark = copyMark(this.mark);
    void context;
    return false;
  }

  /** apic.go:7 yaml_insert_token */
  private insertToken(pos: number, token: Token): void {
    if (pos < 0) this.tokens.push(token);
    else this.tokens.splice(this.tokensHead + pos, 0, token);
  }

  private token(typ: T, start: Mark, end: Mark = start): Token {
    return { typ, start: copyMark(start), end: copyMark(end) };
  }

  /** scannerc.go:626 */
  private fetchMoreTokens(): boolean {
    for (;;) {
      if (this.tokensHead !== this.tokens.length) {
        const headIdx = this.simpleKeysByTok.get(this.tokensParsed);
        if (headIdx === undefined) break;
        const [valid, ok] = this.simpleKeyIsValid(this.simpleKeys[headIdx]!);
        if (!ok) return false;
        if (!valid) break;
      }
      if (!this.fetchNextToken()) return false;
    }
    this.tokenAvailable = true;
    return true;
  }

  /** scannerc.go:652 */
  private fetchNextToken(): boolean {
    if (!this.cache(1)) return false;
    if (!this.streamStartProduced) return this.fetchStreamStart();
    if (!this.scanToNextToken()) return false;
    if (!this.unrollIndent(this.mark.column)) return false;
    if (!this.cache(4)) return false;
    const p = this.pos;
    const c = this.at(p);
    if (c === 0) return this.fetchStreamEnd();
    if (this.mark.column === 0 && c === 0x25 /* % */) return this.fetchDirective();
    if (this.mark.column === 0 && c === 0x2d && this.at(p + 1) === 0x2d && this.at(p + 2) === 0x2d && this.isBlankz(p + 3)) return this.fetchDocumentIndicator(T.DOCUMENT_START);
    if (this.mark.column === 0 && c === 0x2e && this.at(p + 1) === 0x2e && this.at(p + 2) === 0x2e && this.isBlankz(p + 3)) return this.fetchDocumentIndicator(T.DOCUMENT_END);
    switch (c) {
      case 0x5b: return this.fetchFlowCollectionStart(T.FLOW_SEQUENCE_START); // [
      case 0x7b: return this.fetchFlowCollectionStart(T.FLOW_MAPPING_START); // {
      case 0x5d: return this.fetchFlowCollectionEnd(T.FLOW_SEQUENCE_END); // ]
      case 0x7d: return this.fetchFlowCollectionEnd(T.FLOW_MAPPING_END); // }
      case 0x2c: return this.fetchFlowEntry(); // ,
    }
    if (c === 0x2d && this.isBlankz(p + 1)) return this.fetchBlockEntry();
    if (c === 0x3f && (this.flowLevel > 0 || this.isBlankz(p + 1))) return this.fetchKey();
    if (c === 0x3a && (this.flowLevel > 0 || this.isBlankz(p + 1))) return this.fetchValue();
    if (c === 0x2a) return this.fetchAnchor(T.ALIAS);
    if (c === 0x26) return this.fetchAnchor(T.ANCHOR);
    if (c === 0x21) return this.fetchTag();
    if (c === 0x7c && this.flowLevel === 0) return this.fetchBlockScalar(true);
    if (c === 0x3e && this.flowLevel === 0) return this.fetchBlockScalar(false);
    if (c === 0x27) return this.fetchFlowScalar(true);
    if (c === 0x22) return this.fetchFlowScalar(false);
    // scannerc.go:797: a plain scalar starts with any character but blanks and indicators
    if (!(this.isBlankz(p) || "-?:,[]{}#&*!|>'\"%@`".includes(String.fromCodePoint(c))) ||
      (c === 0x2d && !this.isBlank(p + 1)) ||
      (this.flowLevel === 0 && (c === 0x3f || c === 0x3a) && !this.isBlankz(p + 1))) {
      return this.fetchPlainScalar();
    }
    return this.scannerError("while scanning for the next token", this.mark, "found character that cannot start any token");
  }

  /** scannerc.go:822: [valid, ok] */
  private simpleKeyIsValid(key: SimpleKey): [boolean, boolean] {
    if (!key.possible) return [false, true];
    if (key.mark.line < this.mark.line || key.mark.index + 1024 < this.mark.index) {
      if (key.required) return [false, this.scannerError("while scanning a simple key", key.mark, "could not find expected ':'")];
      key.possible = false;
      return [false, true];
    }
    return [true, true];
  }

  /** scannerc.go:850 */
  private saveSimpleKey(): boolean {
    const required = this.flowLevel === 0 && this.indent === this.mark.column;
    if (this.simpleKeyAllowed) {
      const key: SimpleKey = { possible: true, required, tokenNumber: this.tokensParsed + (this.tokens.length - this.tokensHead), mark: copyMark(this.mark) };
      if (!this.removeSimpleKey()) return false;
      this.simpleKeys[this.simpleKeys.length - 1] = key;
      this.simpleKeysByTok.set(key.tokenNumber, this.simpleKeys.length - 1);
    }
    return true;
  }

  /** scannerc.go:878 */
  private removeSimpleKey(): boolean {
    const key = this.simpleKeys[this.simpleKeys.length - 1]!;
    if (key.possible) {
      if (key.required) return this.scannerError("while scanning a simple key", key.mark, "could not find expected ':'");
      key.possible = false;
      this.simpleKeysByTok.delete(key.tokenNumber);
    }
    return true;
  }

  /** scannerc.go:898 */
  private increaseFlowLevel(): boolean {
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: this.tokensParsed + (this.tokens.length - this.tokensHead), mark: copyMark(this.mark) });
    this.flowLevel++;
    if (this.flowLevel > MAX_FLOW_LEVEL) return this.scannerError("while increasing flow level", this.simpleKeys.at(-1)!.mark, `exceeded max depth of ${MAX_FLOW_LEVEL}`);
    return true;
  }

  /** scannerc.go:918 */
  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      this.simpleKeysByTok.delete(this.simpleKeys.at(-1)!.tokenNumber);
      this.simpleKeys.pop();
    }
  }

  /** scannerc.go:934 */
  private rollIndent(column: number, number: number, typ: T, mark: Mark): boolean {
    if (this.flowLevel > 0) return true;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > MAX_INDENTS) return this.scannerError("while increasing indent level", this.simpleKeys.at(-1)!.mark, `exceeded max depth of ${MAX_INDENTS}`);
      this.insertToken(number > -1 ? number - this.tokensParsed : -1, this.token(typ, mark));
    }
    return true;
  }

  /** scannerc.go:968 */
  private unrollIndent(column: number): boolean {
    if (this.flowLevel > 0) return true;
    while (this.indent > column) {
      this.insertToken(-1, this.token(T.BLOCK_END, this.mark));
      this.indent = this.indents.pop()!;
    }
    return true;
  }

  /** scannerc.go:992 */
  private fetchStreamStart(): boolean {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: ZERO });
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    this.insertToken(-1, this.token(T.STREAM_START, this.mark));
    return true;
  }

  /** scannerc.go:1020 */
  private fetchStreamEnd(): boolean {
    if (this.mark.column !== 0) {
      this.mark.column = 0;
      this.mark.line++;
    }
    if (!this.unrollIndent(-1)) return false;
    if (!this.removeSimpleKey()) return false;
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.token(T.STREAM_END, this.mark));
    return true;
  }

  /** scannerc.go:1051 */
  private fetchDirective(): boolean {
    if (!this.unrollIndent(-1)) return false;
    if (!this.removeSimpleKey()) return false;
    this.simpleKeyAllowed = false;
    const token = this.scanDirective();
    if (!token) return false;
    this.insertToken(-1, token);
    return true;
  }

  /** scannerc.go:1075 */
  private fetchDocumentIndicator(typ: T): boolean {
    if (!this.unrollIndent(-1)) return false;
    if (!this.removeSimpleKey()) return false;
    this.simpleKeyAllowed = false;
    const start = copyMark(this.mark);
    this.skip();
    this.skip();
    this.skip();
    this.insertToken(-1, this.token(typ, start, this.mark));
    return true;
  }

  /** scannerc.go:1109 */
  private fetchFlowCollectionStart(typ: T): boolean {
    if (!this.saveSimpleKey()) return false;
    if (!this.increaseFlowLevel()) return false;
    this.simpleKeyAllowed = true;
    const start = copyMark(this.mark);
    this.skip();
    this.insertToken(-1, this.token(typ, start, this.mark));
    return true;
  }

  /** scannerc.go:1140 */
  private fetchFlowCollectionEnd(typ: T): boolean {
    if (!this.removeSimpleKey()) return false;
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    const start = copyMark(this.mark);
    this.skip();
    this.insertToken(-1, this.token(typ, start, this.mark));
    return true;
  }

  /** scannerc.go:1172 */
  private fetchFlowEntry(): boolean {
    if (!this.removeSimpleKey()) return false;
    this.simpleKeyAllowed = true;
    const start = copyMark(this.mark);
    this.skip();
    this.insertToken(-1, this.token(T.FLOW_ENTRY, start, this.mark));
    return true;
  }

  /** scannerc.go:1197 */
  private fetchBlockEntry(): boolean {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) return this.scannerError("", this.mark, "block sequence entries are not allowed in this context");
      if (!this.rollIndent(this.mark.column, -1, T.BLOCK_SEQUENCE_START, this.mark)) return false;
    }
    if (!this.removeSimpleKey()) return false;
    this.simpleKeyAllowed = true;
    const start = copyMark(this.mark);
    this.skip();
    this.insertToken(-1, this.token(T.BLOCK_ENTRY, start, this.mark));
    return true;
  }

  /** scannerc.go:1239 */
  private fetchKey(): boolean {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) return this.scannerError("", this.mark, "mapping keys are not allowed in this context");
      if (!this.rollIndent(this.mark.column, -1, T.BLOCK_MAPPING_START, this.mark)) return false;
    }
    if (!this.removeSimpleKey()) return false;
    this.simpleKeyAllowed = this.flowLevel === 0;
    const start = copyMark(this.mark);
    this.skip();
    this.insertToken(-1, this.token(T.KEY, start, this.mark));
    return true;
  }

  /** scannerc.go:1278 */
  private fetchValue(): boolean {
    const key = this.simpleKeys.at(-1)!;
    const [valid, ok] = this.simpleKeyIsValid(key);
    if (!ok) return false;
    if (valid) {
      this.insertToken(key.tokenNumber - this.tokensParsed, this.token(T.KEY, key.mark));
      if (!this.rollIndent(key.mark.column, key.tokenNumber, T.BLOCK_MAPPING_START, key.mark)) return false;
      key.possible = false;
      this.simpleKeysByTok.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) return this.scannerError("", this.mark, "mapping values are not allowed in this context");
        if (!this.rollIndent(this.mark.column, -1, T.BLOCK_MAPPING_START, this.mark)) return false;
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    const start = copyMark(this.mark);
    this.skip();
    this.insertToken(-1, this.token(T.VALUE, start, this.mark));
    return true;
  }

  /** scannerc.go:1348 */
  private fetchAnchor(typ: T): boolean {
    if (!this.saveSimpleKey()) return false;
    this.simpleKeyAllowed = false;
    const token = this.scanAnchor(typ);
    if (!token) return false;
    this.insertToken(-1, token);
    return true;
  }

  /** scannerc.go:1367 */
  private fetchTag(): boolean {
    if (!this.saveSimpleKey()) return false;
    this.simpleKeyAllowed = false;
    const token = this.scanTag();
    if (!token) return false;
    this.insertToken(-1, token);
    return true;
  }

  /** scannerc.go:1386 */
  private fetchBlockScalar(literal: boolean): boolean {
    if (!this.removeSimpleKey()) return false;
    this.simpleKeyAllowed = true;
    const token = this.scanBlockScalar(literal);
    if (!token) return false;
    this.insertToken(-1, token);
    return true;
  }

  /** scannerc.go:1405 */
  private fetchFlowScalar(single: boolean): boolean {
    if (!this.saveSimpleKey()) return false;
    this.simpleKeyAllowed = false;
    const token = this.scanFlowScalar(single);
    if (!token) return false;
    this.insertToken(-1, token);
    return true;
  }

  /** scannerc.go:1424 */
  private fetchPlainScalar(): boolean {
    if (!this.saveSimpleKey()) return false;
    this.simpleKeyAllowed = false;
    const token = this.scanPlainScalar();
    if (!token) return false;
    this.insertToken(-1, token);
    return true;
  }

  /** scannerc.go:1443 */
  private scanToNextToken(): boolean {
    for (;;) {
      if (!this.cache(1)) return false;
      // yamlprivateh.go:81 is_bom looks at the buffer's first character, not the current one: go-yaml
      // skips whatever is here when its buffer starts with a byte-order mark
      if (this.mark.column === 0 && this.at(this.bufferStart) === 0xfeff) this.skip();
      if (!this.cache(1)) return false;
      while (this.at(this.pos) === 0x20 || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.at(this.pos) === 0x09)) {
        this.skip();
        if (!this.cache(1)) return false;
      }
      if (this.at(this.pos) === 0x23) {
        while (!this.isBreakz(this.pos)) {
          this.skip();
          if (!this.cache(1)) return false;
        }
      }
      if (this.isBreak(this.pos)) {
        if (!this.cache(2)) return false;
        this.skipLine();
        if (this.flowLevel === 0) this.simpleKeyAllowed = true;
      } else break;
    }
    return true;
  }

  /** Blanks, then a comment, then a line break or the end (scannerc.go:1565, 2131: after directives and block scalar headers). */
  private skipToLineEnd(context: string, start: Mark): boolean {
    if (!this.cache(1)) return false;
    while (this.isBlank(this.pos)) {
      this.skip();
      if (!this.cache(1)) return false;
    }
    if (this.at(this.pos) === 0x23) {
      while (!this.isBreakz(this.pos)) {
        this.skip();
        if (!this.cache(1)) return false;
      }
    }
    if (!this.isBreakz(this.pos)) return this.scannerError(context, start, "did not find expected comment or line break");
    if (this.isBreak(this.pos)) {
      if (!this.cache(2)) return false;
      this.skipLine();
    }
    return true;
  }

  /** scannerc.go:1508 */
  private scanDirective(): Token | undefined {
    const start = copyMark(this.mark);
    this.skip();
    const name = this.scanDirectiveName(start);
    if (name === undefined) return undefined;
    let token: Token;
    if (name === "YAML") {
      const version = this.scanVersionDirectiveValue(start);
      if (!version) return undefined;
      token = { ...this.token(T.VERSION_DIRECTIVE, start, this.mark), major: version[0], minor: version[1] };
    } else if (name === "TAG") {
      const tag = this.scanTagDirectiveValue(start);
      if (!tag) return undefined;
      token = { ...this.token(T.TAG_DIRECTIVE, start, this.mark), value: tag[0], prefix: tag[1] };
    } else {
      this.scannerError("while scanning a directive", start, "found unknown directive name");
      return undefined;
    }
    return this.skipToLineEnd("while scanning a directive", start) ? token : undefined;
  }

  /** scannerc.go:1609 */
  private scanDirectiveName(start: Mark): string | undefined {
    if (!this.cache(1)) return undefined;
    let s = "";
    while (this.isAlpha(this.pos)) {
      s += this.read();
      if (!this.cache(1)) return undefined;
    }
    if (s === "") return void this.scannerError("while scanning a directive", start, "could not find expected directive name");
    if (!this.isBlankz(this.pos)) return void this.scannerError("while scanning a directive", start, "found unexpected non-alphabetical character");
    return s;
  }

  /** scannerc.go:1645 */
  private scanVersionDirectiveValue(start: Mark): [number, number] | undefined {
    if (!this.cache(1)) return undefined;
    while (this.isBlank(this.pos)) {
      this.skip();
      if (!this.cache(1)) return undefined;
    }
    const major = this.scanVersionDirectiveNumber(start);
    if (major === undefined) return undefined;
    if (this.at(this.pos) !== 0x2e) return void this.scannerError("while scanning a %YAML directive", start, "did not find expected digit or '.' character");
    this.skip();
    const minor = this.scanVersionDirectiveNumber(start);
    if (minor === undefined) return undefined;
    return [major, minor];
  }

  /** scannerc.go:1686 */
  private scanVersionDirectiveNumber(start: Mark): number | undefined {
    if (!this.cache(1)) return undefined;
    let value = 0;
    let length = 0;
    while (this.isDigit(this.pos)) {
      length++;
      if (length > 2) return void this.scannerError("while scanning a %YAML directive", start, "found extremely long version number");
      value = value * 10 + (this.at(this.pos) - 0x30);
      this.skip();
      if (!this.cache(1)) return undefined;
    }
    if (length === 0) return void this.scannerError("while scanning a %YAML directive", start, "did not find expected version number");
    return value;
  }

  /** scannerc.go:1722 */
  private scanTagDirectiveValue(start: Mark): [string, string] | undefined {
    if (!this.cache(1)) return undefined;
    while (this.isBlank(this.pos)) {
      this.skip();
      if (!this.cache(1)) return undefined;
    }
    const handle = this.scanTagHandle(true, start);
    if (handle === undefined) return undefined;
    if (!this.cache(1)) return undefined;
    if (!this.isBlank(this.pos)) return void this.scannerError("while scanning a %TAG directive", start, "did not find expected whitespace");
    while (this.isBlank(this.pos)) {
      this.skip();
      if (!this.cache(1)) return undefined;
    }
    const prefix = this.scanTagUri(true, "", start);
    if (prefix === undefined) return undefined;
    if (!this.cache(1)) return undefined;
    if (!this.isBlankz(this.pos)) return void this.scannerError("while scanning a %TAG directive", start, "did not find expected whitespace or line break");
    return [handle, prefix];
  }

  /** scannerc.go:1780 */
  private scanAnchor(typ: T): Token | undefined {
    let s = "";
    const start = copyMark(this.mark);
    this.skip();
    if (!this.cache(1)) return undefined;
    while (this.isAlpha(this.pos)) {
      s += this.read();
      if (!this.cache(1)) return undefined;
    }
    const end = copyMark(this.mark);
    if (s === "" || !(this.isBlankz(this.pos) || "?:,]}%@`".includes(this.ch(this.pos)))) {
      this.scannerError(typ === T.ANCHOR ? "while scanning an anchor" : "while scanning an alias", start, "did not find expected alphabetic or numeric character");
      return undefined;
    }
    if ("?:%@`".includes(this.ch(this.pos))) this.joined.push(end);
    return { ...this.token(typ, start, end), value: s };
  }

  /** scannerc.go:1838 */
  private scanTag(): Token | undefined {
    let handle: string;
    let suffix: string;
    const start = copyMark(this.mark);
    if (!this.cache(2)) return undefined;
    if (this.at(this.pos + 1) === 0x3c /* < */) {
      handle = "";
      this.skip();
      this.skip();
      const uri = this.scanTagUri(false, "", start);
      if (uri === undefined) return undefined;
      suffix = uri;
      if (this.at(this.pos) !== 0x3e) return void this.scannerError("while scanning a tag", start, "did not find the expected '>'");
      this.skip();
    } else {
      const h = this.scanTagHandle(false, start);
      if (h === undefined) return undefined;
      if (h[0] === "!" && h.length > 1 && h.at(-1) === "!") {
        const uri = this.scanTagUri(false, "", start);
        if (uri === undefined) return undefined;
        handle = h;
        suffix = uri;
      } else {
        const uri = this.scanTagUri(false, h, start);
        if (uri === undefined) return undefined;
        handle = "!";
        suffix = uri;
        if (suffix === "") [handle, suffix] = [suffix, handle];
      }
    }
    if (!this.cache(1)) return undefined;
    if (!this.isBlankz(this.pos)) return void this.scannerError("while scanning a tag", start, "did not find expected whitespace or line break");
    return { ...this.token(T.TAG, start, this.mark), value: handle, suffix };
  }

  /** scannerc.go:1923 */
  private scanTagHandle(directive: boolean, start: Mark): string | undefined {
    const context = directive ? "while parsing a %TAG directive" : "while parsing a tag";
    if (!this.cache(1)) return undefined;
    if (this.at(this.pos) !== 0x21) return void this.scannerError(context, start, "did not find expected '!'");
    let s = this.read();
    if (!this.cache(1)) return undefined;
    while (this.isAlpha(this.pos)) {
      s += this.read();
      if (!this.cache(1)) return undefined;
    }
    if (this.at(this.pos) === 0x21) s += this.read();
    else if (directive && s !== "!") return void this.scannerError(context, start, "did not find expected '!'");
    return s;
  }

  /** scannerc.go:1968 */
  private scanTagUri(directive: boolean, head: string, start: Mark): string | undefined {
    let s = head.length > 1 ? head.slice(1) : "";
    let hasTag = head.length > 0;
    if (!this.cache(1)) return undefined;
    while (this.isAlpha(this.pos) || ";/?:@&=+$,.!~*'()[]%".includes(this.ch(this.pos)) && this.at(this.pos) !== 0) {
      if (this.at(this.pos) === 0x25) {
        if (!this.scanUriEscapes(directive, start)) return undefined;
        s += "%";
      } else s += this.read();
      if (!this.cache(1)) return undefined;
      hasTag = true;
    }
    if (!hasTag) return void this.scannerError(directive ? "while parsing a %TAG directive" : "while parsing a tag", start, "did not find expected tag URI");
    return s;
  }

  /** scannerc.go:2026 */
  private scanUriEscapes(directive: boolean, start: Mark): boolean {
    const context = directive ? "while parsing a %TAG directive" : "while parsing a tag";
    let w = 1024;
    while (w > 0) {
      if (!this.cache(3)) return false;
      if (!(this.at(this.pos) === 0x25 && this.isHex(this.pos + 1) && this.isHex(this.pos + 2))) return this.scannerError(context, start, "did not find URI escaped octet");
      const octet = parseInt(this.ch(this.pos + 1) + this.ch(this.pos + 2), 16);
      if (w === 1024) {
        w = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0;
        if (w === 0) return this.scannerError(context, start, "found an incorrect leading UTF-8 octet");
      } else if ((octet & 0xc0) !== 0x80) return this.scannerError(context, start, "found an incorrect trailing UTF-8 octet");
      this.skip();
      this.skip();
      this.skip();
      w--;
    }
    return true;
  }

  /** scannerc.go:2072 */
  private scanBlockScalar(literal: boolean): Token | undefined {
    const start = copyMark(this.mark);
    this.skip();
    if (!this.cache(1)) return undefined;
    let increment = 0;
    const isChomp = () => this.at(this.pos) === 0x2b || this.at(this.pos) === 0x2d;
    if (isChomp()) {
      this.skip();
      if (!this.cache(1)) return undefined;
      if (this.isDigit(this.pos)) {
        if (this.at(this.pos) === 0x30) return void this.scannerError("while scanning a block scalar", start, "found an indentation indicator equal to 0");
        increment = this.at(this.pos) - 0x30;
        this.skip();
      }
    } else if (this.isDigit(this.pos)) {
      if (this.at(this.pos) === 0x30) return void this.scannerError("while scanning a block scalar", start, "found an indentation indicator equal to 0");
      increment = this.at(this.pos) - 0x30;
      this.skip();
      if (!this.cache(1)) return undefined;
      if (isChomp()) this.skip();
    }
    if (!this.skipToLineEnd("while scanning a block scalar", start)) return undefined;
    let end = copyMark(this.mark);
    const indent = { value: increment > 0 ? (this.indent >= 0 ? this.indent + increment : increment) : 0 };
    const setEnd = (m: Mark) => void (end = copyMark(m));
    if (!this.scanBlockScalarBreaks(indent, start, setEnd)) return undefined;
    if (!this.cache(1)) return undefined;
    while (this.mark.column === indent.value && this.at(this.pos) !== 0) {
      while (!this.isBreakz(this.pos)) {
        this.skip();
        if (!this.cache(1)) return undefined;
      }
      if (!this.cache(2)) return undefined;
      this.readLine();
      if (!this.scanBlockScalarBreaks(indent, start, setEnd)) return undefined;
    }
    void literal;
    return this.token(T.SCALAR, start, end);
  }

  /** scannerc.go:2260 */
  private scanBlockScalarBreaks(indent: { value: number }, start: Mark, setEnd: (m: Mark) => void): boolean {
    setEnd(this.mark);
    let maxIndent = 0;
    for (;;) {
      if (!this.cache(1)) return false;
      while ((indent.value === 0 || this.mark.column < indent.value) && this.at(this.pos) === 0x20) {
        this.skip();
        if (!this.cache(1)) return false;
      }
      if (this.mark.column > maxIndent) maxIndent = this.mark.column;
      if ((indent.value === 0 || this.mark.column < indent.value) && this.at(this.pos) === 0x09) {
        return this.scannerError("while scanning a block scalar", start, "found a tab character where an indentation space is expected");
      }
      if (!this.isBreak(this.pos)) break;
      if (!this.cache(2)) return false;
      this.readLine();
      setEnd(this.mark);
    }
    if (indent.value === 0) {
      indent.value = maxIndent;
      if (indent.value < this.indent + 1) indent.value = this.indent + 1;
      if (indent.value < 1) indent.value = 1;
    }
    return true;
  }

  /** scannerc.go:2314 */
  private scanFlowScalar(single: boolean): Token | undefined {
    const start = copyMark(this.mark);
    this.skip();
    for (;;) {
      if (!this.cache(4)) return undefined;
      const p = this.pos;
      if (this.mark.column === 0 &&
        ((this.at(p) === 0x2d && this.at(p + 1) === 0x2d && this.at(p + 2) === 0x2d) || (this.at(p) === 0x2e && this.at(p + 1) === 0x2e && this.at(p + 2) === 0x2e)) &&
        this.isBlankz(p + 3)) {
        return void this.scannerError("while scanning a quoted scalar", start, "found unexpected document indicator");
      }
      if (this.at(this.pos) === 0) return void this.scannerError("while scanning a quoted scalar", start, "found unexpected end of stream");
      let leadingBlanks = false;
      while (!this.isBlankz(this.pos)) {
        const c = this.at(this.pos);
        if (single && c === 0x27 && this.at(this.pos + 1) === 0x27) {
          this.skip();
          this.skip();
        } else if (single && c === 0x27) break;
        else if (!single && c === 0x22) break;
        else if (!single && c === 0x5c && this.isBreak(this.pos + 1)) {
          if (!this.cache(3)) return undefined;
          this.skip();
          this.skipLine();
          leadingBlanks = true;
          break;
        } else if (!single && c === 0x5c) {
          let codeLength = 0;
          const e = this.ch(this.pos + 1);
          if (e === "x") codeLength = 2;
          else if (e === "u") codeLength = 4;
          else if (e === "U") codeLength = 8;
          else if (!"0abt\tnvfre \"'\\N_LP".includes(e) || e === "\u0000") {
            return void this.scannerError("while parsing a quoted scalar", start, "found unknown escape character");
          }
          this.skip();
          this.skip();
          if (codeLength > 0) {
            if (!this.cache(codeLength)) return undefined;
            let value = 0;
            for (let k = 0; k < codeLength; k++) {
              if (!this.isHex(this.pos + k)) return void this.scannerError("while parsing a quoted scalar", start, "did not find expected hexdecimal number");
              value = value * 16 + parseInt(this.ch(this.pos + k), 16);
            }
            if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return void this.scannerError("while parsing a quoted scalar", start, "found invalid Unicode character escape code");
            for (let k = 0; k < codeLength; k++) this.skip();
          }
        } else this.skip();
        if (!this.cache(2)) return undefined;
      }
      if (!this.cache(1)) return undefined;
      if (this.at(this.pos) === (single ? 0x27 : 0x22)) break;
      while (this.isBlank(this.pos) || this.isBreak(this.pos)) {
        if (this.isBlank(this.pos)) this.skip();
        else {
          if (!this.cache(2)) return undefined;
          this.readLine();
          leadingBlanks = true;
        }
        if (!this.cache(1)) return undefined;
      }
      void leadingBlanks;
    }
    this.skip();
    return this.token(T.SCALAR, start, this.mark);
  }

  /** scannerc.go:2570 */
  private scanPlainScalar(): Token | undefined {
    let leadingBlanks = false;
    const indent = this.indent + 1;
    const start = copyMark(this.mark);
    let end = copyMark(this.mark);
    for (;;) {
      if (!this.cache(4)) return undefined;
      const p = this.pos;
      if (this.mark.column === 0 &&
        ((this.at(p) === 0x2d && this.at(p + 1) === 0x2d && this.at(p + 2) === 0x2d) || (this.at(p) === 0x2e && this.at(p + 1) === 0x2e && this.at(p + 2) === 0x2e)) &&
        this.isBlankz(p + 3)) break;
      if (this.at(this.pos) === 0x23) break;
      while (!this.isBlankz(this.pos)) {
        const c = this.at(this.pos);
        if ((c === 0x3a && this.isBlankz(this.pos + 1)) || (this.flowLevel > 0 && (c === 0x2c || c === 0x3f || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d))) break;
        leadingBlanks = false;
        this.skip();
        end = copyMark(this.mark);
        if (!this.cache(2)) return undefined;
      }
      if (!(this.isBlank(this.pos) || this.isBreak(this.pos))) break;
      if (!this.cache(1)) return undefined;
      while (this.isBlank(this.pos) || this.isBreak(this.pos)) {
        if (this.isBlank(this.pos)) {
          if (leadingBlanks && this.mark.column < indent && this.at(this.pos) === 0x09) {
            return void this.scannerError("while scanning a plain scalar", start, "found a tab character that violates indentation");
          }
          this.skip();
        } else {
          if (!this.cache(2)) return undefined;
          this.readLine();
          leadingBlanks = true;
        }
        if (!this.cache(1)) return undefined;
      }
      if (this.flowLevel === 0 && this.mark.column < indent) break;
    }
    if (leadingBlanks) this.simpleKeyAllowed = true;
    if (this.flowLevel > 0 && end.line > start.line) this.flowPlain.push([start, copyMark(end)]);
    return { ...this.token(T.SCALAR, start, end), plain: true };
  }

  // --- parserc.go ---------------------------------------------------------------------------------------

  /** parserc.go:46 */
  private peekToken(): Token | undefined {
    if (this.tokenAvailable || this.fetchMoreTokens()) return this.tokens[this.tokensHead];
    return undefined;
  }
  /** parserc.go:54 */
  private skipToken(): void {
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = this.tokens[this.tokensHead]!.typ === T.STREAM_END;
    this.tokensHead++;
  }

  private parserError(problem: string, problemMark: Mark, contextMark?: Mark): false {
    this.error = Err.PARSER;
    this.problem = problem;
    this.problemMark = copyMark(problemMark);
    if (contextMark) this.contextMark = copyMark(contextMark);
    return false;
  }

  /** parserc.go:62 yaml_parser_parse: the next event, or undefined on an error. */
  parse(): Event | undefined {
    if (this.streamEndProduced || this.error !== Err.NONE || this.state === S.END) return { typ: E.NONE, start: ZERO };
    return this.stateMachine();
  }

  private popState(): void {
    this.state = this.states.pop()!;
  }

  /** parserc.go:93 */
  private stateMachine(): Event | undefined {
    switch (this.state) {
      case S.STREAM_START: return this.parseStreamStart();
      case S.IMPLICIT_DOCUMENT_START: return this.parseDocumentStart(true);
      case S.DOCUMENT_START: return this.parseDocumentStart(false);
      case S.DOCUMENT_CONTENT: return this.parseDocumentContent();
      case S.DOCUMENT_END: return this.parseDocumentEnd();
      case S.BLOCK_NODE: return this.parseNode(true, false);
      case S.BLOCK_NODE_OR_INDENTLESS_SEQUENCE: return this.parseNode(true, true);
      case S.FLOW_NODE: return this.parseNode(false, false);
      case S.BLOCK_SEQUENCE_FIRST_ENTRY: return this.parseBlockSequenceEntry(true);
      case S.BLOCK_SEQUENCE_ENTRY: return this.parseBlockSequenceEntry(false);
      case S.INDENTLESS_SEQUENCE_ENTRY: return this.parseIndentlessSequenceEntry();
      case S.BLOCK_MAPPING_FIRST_KEY: return this.parseBlockMappingKey(true);
      case S.BLOCK_MAPPING_KEY: return this.parseBlockMappingKey(false);
      case S.BLOCK_MAPPING_VALUE: return this.parseBlockMappingValue();
      case S.FLOW_SEQUENCE_FIRST_ENTRY: return this.parseFlowSequenceEntry(true);
      case S.FLOW_SEQUENCE_ENTRY: return this.parseFlowSequenceEntry(false);
      case S.FLOW_SEQUENCE_ENTRY_MAPPING_KEY: return this.parseFlowSequenceEntryMappingKey();
      case S.FLOW_SEQUENCE_ENTRY_MAPPING_VALUE: return this.parseFlowSequenceEntryMappingValue();
      case S.FLOW_SEQUENCE_ENTRY_MAPPING_END: return this.parseFlowSequenceEntryMappingEnd();
      case S.FLOW_MAPPING_FIRST_KEY: return this.parseFlowMappingKey(true);
      case S.FLOW_MAPPING_KEY: return this.parseFlowMappingKey(false);
      case S.FLOW_MAPPING_VALUE: return this.parseFlowMappingValue(false);
      case S.FLOW_MAPPING_EMPTY_VALUE: return this.parseFlowMappingValue(true);
      default: throw new Error("invalid parser state");
    }
  }

  /** parserc.go:174 */
  private parseStreamStart(): Event | undefined {
    const token = this.peekToken();
    if (!token) return undefined;
    if (token.typ !== T.STREAM_START) return void this.parserError("did not find expected <stream-start>", token.start);
    this.state = S.IMPLICIT_DOCUMENT_START;
    this.skipToken();
    return { typ: E.STREAM_START, start: token.start };
  }

  /** parserc.go:198 */
  private parseDocumentStart(implicit: boolean): Event | undefined {
    let token = this.peekToken();
    if (!token) return undefined;
    if (!implicit) {
      while (token.typ === T.DOCUMENT_END) {
        this.skipToken();
        token = this.peekToken();
        if (!token) return undefined;
      }
    }
    if (implicit && token.typ !== T.VERSION_DIRECTIVE && token.typ !== T.TAG_DIRECTIVE && token.typ !== T.DOCUMENT_START && token.typ !== T.STREAM_END) {
      if (!this.processDirectives()) return undefined;
      this.states.push(S.DOCUMENT_END);
      this.state = S.BLOCK_NODE;
      return { typ: E.DOCUMENT_START, start: token.start };
    }
    if (token.typ !== T.STREAM_END) {
      const start = token.start;
      if (!this.processDirectives()) return undefined;
      token = this.peekToken();
      if (!token) return undefined;
      if (token.typ !== T.DOCUMENT_START) return void this.parserError("did not find expected <document start>", token.start);
      this.states.push(S.DOCUMENT_END);
      this.state = S.DOCUMENT_CONTENT;
      this.skipToken();
      return { typ: E.DOCUMENT_START, start };
    }
    this.state = S.END;
    this.skipToken();
    return { typ: E.STREAM_END, start: token.start };
  }

  /** parserc.go:282 */
  private parseDocumentContent(): Event | undefined {
    const token = this.peekToken();
    if (!token) return undefined;
    if (token.typ === T.VERSION_DIRECTIVE || token.typ === T.TAG_DIRECTIVE || token.typ === T.DOCUMENT_START || token.typ === T.DOCUMENT_END || token.typ === T.STREAM_END) {
      this.popState();
      return this.emptyScalar(token.start);
    }
    return this.parseNode(true, false);
  }

  /** parserc.go:305 */
  private parseDocumentEnd(): Event | undefined {
    const token = this.peekToken();
    if (!token) return undefined;
    if (token.typ === T.DOCUMENT_END) this.skipToken();
    this.tagDirectives = [];
    this.state = S.DOCUMENT_START;
    return { typ: E.DOCUMENT_END, start: token.start };
  }

  /** parserc.go:359 */
  private parseNode(block: boolean, indentlessSequence: boolean): Event | undefined {
    let token = this.peekToken();
    if (!token) return undefined;
    if (token.typ === T.ALIAS) {
      this.popState();
      this.skipToken();
      return { typ: E.ALIAS, start: token.start, anchor: token.value };
    }
    let start = token.start;
    let anchor: string | undefined;
    let tagToken = false;
    let tagHandle = "";
    let tagSuffix = "";
    let tagMark = ZERO;
    if (token.typ === T.ANCHOR) {
      anchor = token.value;
      start = token.start;
      this.skipToken();
      token = this.peekToken();
      if (!token) return undefined;
      if (token.typ === T.TAG) {
        tagToken = true;
        tagHandle = token.value ?? "";
        tagSuffix = token.suffix ?? "";
        tagMark = token.start;
        this.skipToken();
        token = this.peekToken();
        if (!token) return undefined;
      }
    } else if (token.typ === T.TAG) {
      tagToken = true;
      tagHandle = token.value ?? "";
      tagSuffix = token.suffix ?? "";
      start = token.start;
      tagMark = token.start;
      this.skipToken();
      token = this.peekToken();
      if (!token) return undefined;
      if (token.typ === T.ANCHOR) {
        anchor = token.value;
        this.skipToken();
        token = this.peekToken();
        if (!token) return undefined;
      }
    }
    let tag = "";
    if (tagToken) {
      if (tagHandle === "") tag = tagSuffix;
      else {
        const directive = this.tagDirectives.find((d) => d.handle === tagHandle);
        if (directive) tag = directive.prefix + tagSuffix;
        if (tag === "") return void this.parserError("found undefined tag handle", tagMark, start);
      }
    }
    const nodeStart = (typ: E): Event => ({ typ, start, anchor });
    if (indentlessSequence && token.typ === T.BLOCK_ENTRY) {
      this.state = S.INDENTLESS_SEQUENCE_ENTRY;
      return nodeStart(E.SEQUENCE_START);
    }
    if (token.typ === T.SCALAR) {
      this.popState();
      this.skipToken();
      return nodeStart(E.SCALAR);
    }
    if (token.typ === T.FLOW_SEQUENCE_START) {
      this.state = S.FLOW_SEQUENCE_FIRST_ENTRY;
      return nodeStart(E.SEQUENCE_START);
    }
    if (token.typ === T.FLOW_MAPPING_START) {
      this.state = S.FLOW_MAPPING_FIRST_KEY;
      return nodeStart(E.MAPPING_START);
    }
    if (block && token.typ === T.BLOCK_SEQUENCE_START) {
      this.state = S.BLOCK_SEQUENCE_FIRST_ENTRY;
      return nodeStart(E.SEQUENCE_START);
    }
    if (block && token.typ === T.BLOCK_MAPPING_START) {
      this.state = S.BLOCK_MAPPING_FIRST_KEY;
      return nodeStart(E.MAPPING_START);
    }
    if (anchor || tag !== "") {
      this.popState();
      return nodeStart(E.SCALAR);
    }
    return void this.parserError("did not find expected node content", token.start, start);
  }

  /** parserc.go:579 */
  private parseBlockSequenceEntry(first: boolean): Event | undefined {
    if (first) {
      this.marks.push(this.peekToken()!.start);
      this.skipToken();
    }
    let token = this.peekToken();
    if (!token) return undefined;
    if (token.typ === T.BLOCK_ENTRY) {
      const mark = token.end;
      this.skipToken();
      token = this.peekToken();
      if (!token) return undefined;
      if (token.typ !== T.BLOCK_ENTRY && token.typ !== T.BLOCK_END) {
        this.states.push(S.BLOCK_SEQUENCE_ENTRY);
        return this.parseNode(true, false);
      }
      this.state = S.BLOCK_SEQUENCE_ENTRY;
      return this.emptyScalar(mark);
    }
    if (token.typ === T.BLOCK_END) {
      this.popState();
      this.marks.pop();
      this.skipToken();
      return { typ: E.SEQUENCE_END, start: token.start };
    }
    return void this.parserError("did not find expected '-' indicator", token.start, this.marks.pop());
  }

  /** parserc.go:631 */
  private parseIndentlessSequenceEntry(): Event | undefined {
    let token = this.peekToken();
    if (!token) return undefined;
    if (token.typ === T.BLOCK_ENTRY) {
      const mark = token.end;
      this.skipToken();
      token = this.peekToken();
      if (!token) return undefined;
      if (token.typ !== T.BLOCK_ENTRY && token.typ !== T.KEY && token.typ !== T.VALUE && token.typ !== T.BLOCK_END) {
        this.states.push(S.INDENTLESS_SEQUENCE_ENTRY);
        return this.parseNode(true, false);
      }
      this.state = S.INDENTLESS_SEQUENCE_ENTRY;
      return this.emptyScalar(mark);
    }
    this.popState();
    return { typ: E.SEQUENCE_END, start: token.start };
  }

  /** parserc.go:675 */
  private parseBlockMappingKey(first: boolean): Event | undefined {
    if (first) {
      this.marks.push(this.peekToken()!.start);
      this.skipToken();
    }
    let token = this.peekToken();
    if (!token) return undefined;
    if (token.typ === T.KEY) {
      const mark = token.end;
      this.skipToken();
      token = this.peekToken();
      if (!token) return undefined;
      if (token.typ !== T.KEY && token.typ !== T.VALUE && token.typ !== T.BLOCK_END) {
        this.states.push(S.BLOCK_MAPPING_VALUE);
        return this.parseNode(true, true);
      }
      this.state = S.BLOCK_MAPPING_VALUE;
      return this.emptyScalar(mark);
    }
    if (token.typ === T.BLOCK_END) {
      this.popState();
      this.marks.pop();
      this.skipToken();
      return { typ: E.MAPPING_END, start: token.start };
    }
    return void this.parserError("did not find expected key", token.start, this.marks.pop());
  }

  /** parserc.go:733 */
  private parseBlockMappingValue(): Event | undefined {
    let token = this.peekToken();
    if (!token) return undefined;
    if (token.typ === T.VALUE) {
      const mark = token.end;
      this.skipToken();
      token = this.peekToken();
      if (!token) return undefined;
      if (token.typ !== T.KEY && token.typ !== T.VALUE && token.typ !== T.BLOCK_END) {
        this.states.push(S.BLOCK_MAPPING_KEY);
        return this.parseNode(true, true);
      }
      this.state = S.BLOCK_MAPPING_KEY;
      return this.emptyScalar(mark);
    }
    this.state = S.BLOCK_MAPPING_KEY;
    return this.emptyScalar(token.start);
  }

  /** parserc.go:770 */
  private parseFlowSequenceEntry(first: boolean): Event | undefined {
    if (first) {
      this.marks.push(this.peekToken()!.start);
      this.skipToken();
    }
    let token = this.peekToken();
    if (!token) return undefined;
    if (token.typ !== T.FLOW_SEQUENCE_END) {
      if (!first) {
        if (token.typ === T.FLOW_ENTRY) {
          this.skipToken();
          token = this.peekToken();
          if (!token) return undefined;
        } else return void this.parserError("did not find expected ',' or ']'", token.start, this.marks.pop());
      }
      if (token.typ === T.KEY) {
        this.state = S.FLOW_SEQUENCE_ENTRY_MAPPING_KEY;
        this.skipToken();
        return { typ: E.MAPPING_START, start: token.start };
      } else if (token.typ !== T.FLOW_SEQUENCE_END) {
        this.states.push(S.FLOW_SEQUENCE_ENTRY);
        return this.parseNode(false, false);
      }
    }
    this.popState();
    this.marks.pop();
    this.skipToken();
    return { typ: E.SEQUENCE_END, start: token.start };
  }

  /** parserc.go:833 */
  private parseFlowSequenceEntryMappingKey(): Event | undefined {
    const token = this.peekToken();
    if (!token) return undefined;
    if (token.typ !== T.VALUE && token.typ !== T.FLOW_ENTRY && token.typ !== T.FLOW_SEQUENCE_END) {
      this.states.push(S.FLOW_SEQUENCE_ENTRY_MAPPING_VALUE);
      return this.parseNode(false, false);
    }
    const mark = token.end;
    this.skipToken();
    this.state = S.FLOW_SEQUENCE_ENTRY_MAPPING_VALUE;
    return this.emptyScalar(mark);
  }

  /** parserc.go:854 */
  private parseFlowSequenceEntryMappingValue(): Event | undefined {
    const token = this.peekToken();
    if (!token) return undefined;
    if (token.typ === T.VALUE) {
      this.skipToken();
      const next = this.peekToken();
      if (!next) return undefined;
      if (next.typ !== T.FLOW_ENTRY && next.typ !== T.FLOW_SEQUENCE_END) {
        this.states.push(S.FLOW_SEQUENCE_ENTRY_MAPPING_END);
        return this.parseNode(false, false);
      }
    }
    this.state = S.FLOW_SEQUENCE_ENTRY_MAPPING_END;
    return this.emptyScalar(token.start);
  }

  /** parserc.go:878 */
  private parseFlowSequenceEntryMappingEnd(): Event | undefined {
    const token = this.peekToken();
    if (!token) return undefined;
    this.state = S.FLOW_SEQUENCE_ENTRY;
    return { typ: E.MAPPING_END, start: token.start };
  }

  /** parserc.go:904 */
  private parseFlowMappingKey(first: boolean): Event | undefined {
    if (first) {
      this.marks.push(this.peekToken()!.start);
      this.skipToken();
    }
    let token = this.peekToken();
    if (!token) return undefined;
    if (token.typ !== T.FLOW_MAPPING_END) {
      if (!first) {
        if (token.typ === T.FLOW_ENTRY) {
          this.skipToken();
          token = this.peekToken();
          if (!token) return undefined;
        } else return void this.parserError("did not find expected ',' or '}'", token.start, this.marks.pop());
      }
      if (token.typ === T.KEY) {
        this.skipToken();
        token = this.peekToken();
        if (!token) return undefined;
        if (token.typ !== T.VALUE && token.typ !== T.FLOW_ENTRY && token.typ !== T.FLOW_MAPPING_END) {
          this.states.push(S.FLOW_MAPPING_VALUE);
          return this.parseNode(false, false);
        }
        this.state = S.FLOW_MAPPING_VALUE;
        return this.emptyScalar(token.start);
      } else if (token.typ !== T.FLOW_MAPPING_END) {
        this.states.push(S.FLOW_MAPPING_EMPTY_VALUE);
        return this.parseNode(false, false);
      }
    }
    this.popState();
    this.marks.pop();
    this.skipToken();
    return { typ: E.MAPPING_END, start: token.start };
  }

  /** parserc.go:970 */
  private parseFlowMappingValue(empty: boolean): Event | undefined {
    let token = this.peekToken();
    if (!token) return undefined;
    if (empty) {
      this.state = S.FLOW_MAPPING_KEY;
      return this.emptyScalar(token.start);
    }
    if (token.typ === T.VALUE) {
      this.skipToken();
      token = this.peekToken();
      if (!token) return undefined;
      if (token.typ !== T.FLOW_ENTRY && token.typ !== T.FLOW_MAPPING_END) {
        this.states.push(S.FLOW_MAPPING_KEY);
        return this.parseNode(false, false);
      }
    }
    this.state = S.FLOW_MAPPING_KEY;
    return this.emptyScalar(token.start);
  }

  /** parserc.go:995 */
  private emptyScalar(mark: Mark): Event {
    return { typ: E.SCALAR, start: mark };
  }

  /** parserc.go:1013 */
  private processDirectives(): boolean {
    let version = false;
    let token = this.peekToken();
    if (!token) return false;
    while (token.typ === T.VERSION_DIRECTIVE || token.typ === T.TAG_DIRECTIVE) {
      if (token.typ === T.VERSION_DIRECTIVE) {
        if (version) return this.parserError("found duplicate %YAML directive", token.start);
        if (token.major !== 1 || token.minor !== 1) return this.parserError("found incompatible YAML document", token.start);
        version = true;
      } else if (!this.appendTagDirective(token.value!, token.prefix!, false, token.start)) return false;
      this.skipToken();
      token = this.peekToken();
      if (!token) return false;
    }
    this.appendTagDirective("!", "!", true, token.start);
    this.appendTagDirective("!!", "tag:yaml.org,2002:", true, token.start);
    return true;
  }

  /** parserc.go:1075 */
  private appendTagDirective(handle: string, prefix: string, allowDuplicates: boolean, mark: Mark): boolean {
    if (this.tagDirectives.some((d) => d.handle === handle)) return allowDuplicates || this.parserError("found duplicate %TAG directive", mark);
    this.tagDirectives.push({ handle, prefix });
    return true;
  }

  /** decode.go:111 (*parser).fail: go-yaml's message for the error met. */
  failure(): string {
    let line = 0;
    if (this.problemMark.line !== 0) {
      line = this.problemMark.line;
      if (this.error === Err.SCANNER) line++; // "Scanner errors don't iterate line before returning error"
    } else if (this.contextMark.line !== 0) line = this.contextMark.line;
    const where = line !== 0 ? `line ${line}: ` : "";
    return `yaml: ${where}${this.problem || "unknown problem parsing YAML content"}`;
  }
}

class Failure {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

/** What go-yaml makes of a text: its first error's message, or where its first document ends. */
export type GoYamlReading =
  | { error: string }
  | { error?: undefined; end: number; joined: number[]; flowPlain: [number, number][]; flowLines: [number, number][] };

/**
 * go-yaml v2's message for the first error in the first document of `text`, as yaml.Unmarshal gives it
 * (decode.go:141-230: the composer reads one document, failing on a syntax error or an unknown alias),
 * or undefined when go-yaml reads it without a syntax error.
 */
export function goYamlSyntaxError(text: string): string | undefined {
  return goYamlFirstDocument(text).error;
}

/**
 * Reads `text` as yaml.Unmarshal does: the first error, or the UTF-16 offset where the first document
 * ends (go-yaml ignores the rest: a `%YAML` directive, a `--- x` or `...` line in the middle ends it)
 * and the offsets in it where an anchor or alias name ends at a `?:%@\`` (scannerc.go:1809).
 */
/** How many documents the port has read in this thread (tests: which documents cost it). */
export const goYamlPortStats = { documents: 0 };

export function goYamlFirstDocument(text: string): GoYamlReading {
  goYamlPortStats.documents++;
  const p = new GoYamlParser(new TextEncoder().encode(text.length === 0 ? "\n" : text)); // decode.go:47
  const next = (): Event => {
    const event = p.parse();
    if (!event) throw new Failure(p.failure());
    return event;
  };
  try {
    // decode.go:81 expect() and :141 parse(), without recursion: documents can nest 10,000 levels deep
    if (next().typ !== E.STREAM_START) return { end: text.length, joined: [], flowPlain: [], flowLines: [] };
    const first = next();
    if (first.typ !== E.DOCUMENT_START) return { end: text.length, joined: [], flowPlain: [], flowLines: [] }; // an empty stream
    const anchors = new Set<string>();
    let depth = 0;
    do {
      const event = next();
      if (event.typ === E.ALIAS) {
        if (!anchors.has(event.anchor ?? "")) return { error: `yaml: unknown anchor '${event.anchor}' referenced` }; // decode.go:210
      } else if (event.anchor !== undefined) anchors.add(event.anchor);
      if (event.typ === E.SEQUENCE_START || event.typ === E.MAPPING_START) depth++;
      else if (event.typ === E.SEQUENCE_END || event.typ === E.MAPPING_END) depth--;
    } while (depth > 0);
    const end = next();
    if (end.typ !== E.DOCUMENT_END) return { error: `yaml: expected document end event but got ${EVENT_NAMES[end.typ]}` };
    const joined = p.joined.filter((m) => m.index < end.start.index).map((m) => utf16Offset(text, m.index));
    const flowPlain = p.flowPlain.filter(([a]) => a.index < end.start.index).map(([a, b]): [number, number] => [utf16Offset(text, a.index), utf16Offset(text, b.index)]);
    return { end: utf16Offset(text, end.start.index), joined, flowPlain, flowLines: p.flowLines };
  } catch (err) {
    if (err instanceof Failure) return { error: err.message };
    throw err;
  }
}

/** The UTF-16 offset of the `index`th character (go-yaml's marks count characters, after a byte-order mark). */
function utf16Offset(text: string, index: number): number {
  let offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = 0; i < index && offset < text.length; i++) offset += text.codePointAt(offset)! > 0xffff ? 2 : 1;
  return Math.min(offset, text.length);
}
