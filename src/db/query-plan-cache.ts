// Prisma 6's query compiler (wasm) turns every query into a plan, values inlined, each time it runs: the
// biggest single cost of an interaction (see README, Performance). This cache compiles a query's shape
// once: the values of its filters and of what it writes become named parameters, the plan compiled for
// that shape is kept, and each query gets a copy of it with its own values in the parameters' places.
//
// Correct by construction, not by a list of cases believed safe: the first time a shape is seen, it is compiled
// both ways, and the cached plan is used only if putting the first query's values into it gives exactly
// the plan compiled for those values. A shape that does not (say `contains`, whose value becomes a LIKE
// pattern) is remembered as uncacheable and always compiled as it comes. Values that change the plan's
// shape (null, list lengths, take/skip, ordering, enums) stay part of the key. Raw queries and batches
// (`compileBatch`) are not cached.
import { isDeepStrictEqual } from "node:util";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface CompilerClass {
  prototype: { compile(this: unknown, request: string): unknown };
}

/** The query compiler runtimes of the Prisma clients this project generates, by provider. */
const RUNTIMES = {
  sqlite: "@prisma/client/runtime/query_compiler_bg.sqlite.mjs",
  postgresql: "@prisma/client/runtime/query_compiler_bg.postgresql.mjs",
} as const;

/**
 * Enum fields of the schema, by name: PostgreSQL casts an enum literal (`CAST($1 AS "VmStatus")`) but
 * not a parameter, so their values stay in the key (they are few). Filled in from the client's data model.
 */
const enumFields = new Set<string>();
const PARAMETER_PREFIX = "vmbot$";
/** Shapes kept (least recently used go first): a plan is a few KB to a few tens of KB. */
const MAX_SHAPES = 1000;

export interface PlanCacheStats {
  hits: number;
  misses: number;
  uncacheable: number;
}

const UNCACHEABLE = Symbol("uncacheable");

interface Template {
  plan: Json;
  /** Nodes of `plan` that hold a parameter somewhere below them: only those are copied per query. */
  holders: WeakSet<object>;
}

class PlanCache {
  private readonly shapes = new Map<string, Template | typeof UNCACHEABLE>();
  readonly stats: PlanCacheStats = { hits: 0, misses: 0, uncacheable: 0 };

  compile(compiler: unknown, original: (this: unknown, request: string) => unknown, request: string): unknown {
    const query = JSON.parse(request) as JsonObject;
    if (query.action === "queryRaw" || query.action === "executeRaw") return original.call(compiler, request);
    const values: Json[] = [];
    const shape = parameterize(query, values);
    const key = JSON.stringify(shape);
    const known = this.shapes.get(key);
    if (known === UNCACHEABLE) {
      this.stats.uncacheable++;
      return original.call(compiler, request);
    }
    if (known) {
      this.stats.hits++;
      this.shapes.delete(key); // least recently used goes first: re-insert at the end
      this.shapes.set(key, known);
      return fill(known.plan, values, known.holders);
    }
    this.stats.misses++;
    const literal = original.call(compiler, request) as Json;
    let template: Template | typeof UNCACHEABLE = UNCACHEABLE;
    if (values.length === 0) template = { plan: literal, holders: new WeakSet() };
    else try {
      const plan = original.call(compiler, key) as Json;
      const holders = new WeakSet<object>();
      markHolders(plan, holders);
      if (equivalentPlans(fill(plan, values, holders), literal)) template = { plan, holders };
    } catch {
      // The compiler refused the parameterized shape: compile this shape as it comes.
    }
    this.shapes.set(key, template);
    if (this.shapes.size > MAX_SHAPES) this.shapes.delete(this.shapes.keys().next().value!);
    return literal;
  }
}

/**
 * A copy of the query with the values of its filters (`where`) and of what it writes (`data`, an upsert's
 * `create` and `update`) replaced by parameters, collected in order, at every level of the selection.
 * Only there: anything else (take, skip, cursor, orderBy, distinct, createMany's skipDuplicates, raw SQL)
 * stays in the key, because the compiler needs it as a literal (a parameter in such a place can make it
 * panic, which would leave the compiler unusable).
 */
function parameterize(node: Json, values: Json[]): Json {
  if (node === null || typeof node !== "object") return node;
  if (Array.isArray(node)) return node.map((item) => parameterize(item, values));
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(node)) copy[key] = key === "arguments" ? parameterizeArguments(value, values) : parameterize(value, values);
  return copy;
}

function parameterizeArguments(args: Json, values: Json[]): Json {
  if (args === null || typeof args !== "object" || Array.isArray(args)) return args;
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(args)) {
    if (key === "where") copy[key] = parameterizeFilter(value, values);
    else if (key === "data" || key === "create" || key === "update") copy[key] = parameterizeData(value, values);
    else copy[key] = value;
  }
  return copy;
}

/** Filter values, at any depth (AND/OR/NOT, relation filters, `in` lists); enum fields and `mode` stay. */
function parameterizeFilter(node: Json, values: Json[]): Json {
  if (node === null) return node;
  if (typeof node !== "object") return push(values, node);
  if (Array.isArray(node)) return node.map((item) => parameterizeFilter(item, values));
  if (typeof node.$type === "string") return parameterizeTagged(node, values);
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(node)) copy[key] = enumFields.has(key) || key === "mode" ? value : parameterizeFilter(value, values);
  return copy;
}

/** Nested writes a `data` object may hold; any other object value there is a Json field's value. */
const WRITE_OPERATIONS = new Set(["create", "createMany", "connect", "connectOrCreate", "disconnect", "set", "update", "updateMany", "upsert", "delete", "deleteMany", "increment", "decrement", "multiply", "divide", "push", "unset"]);

/**
 * The scalar and Json values written, one level deep (a Json value is one parameter, compiled as its JSON
 * text); enum fields and nested writes (relations, `increment`, ...) stay in the key.
 */
function parameterizeData(data: Json, values: Json[]): Json {
  if (data === null || typeof data !== "object") return data;
  if (Array.isArray(data)) return data.map((row) => parameterizeData(row, values));
  const copy: JsonObject = {};
  for (const [field, value] of Object.entries(data)) {
    if (value === null || enumFields.has(field)) copy[field] = value;
    else if (typeof value !== "object") copy[field] = push(values, value);
    else if (Array.isArray(value)) copy[field] = value;
    else if (typeof value.$type === "string") copy[field] = parameterizeTagged(value, values);
    else if (Object.keys(value).some((key) => WRITE_OPERATIONS.has(key))) copy[field] = value;
    else copy[field] = push(values, JSON.stringify(value));
  }
  return copy;
}

/**
 * A tagged value: a DateTime (inlined as its ISO string) becomes a parameter; the others (BigInt, Decimal,
 * Bytes, field references) keep their literal place in the key.
 */
function parameterizeTagged(node: JsonObject, values: Json[]): Json {
  return node.$type === "DateTime" && typeof node.value === "string" ? push(values, node.value) : node;
}

function push(values: Json[], value: Json): Json {
  values.push(value);
  return parameter(values.length - 1);
}

function parameter(index: number): Json {
  return { $type: "Param", value: `${PARAMETER_PREFIX}${index}` };
}

/** The compiled form of one of our parameters, if `node` is one: its index. */
function parameterIndex(node: Json): number | undefined {
  if (node === null || typeof node !== "object" || Array.isArray(node) || node.prisma__type !== "param") return undefined;
  const value = node.prisma__value as JsonObject | null;
  const name = value && typeof value.name === "string" ? value.name : "";
  return name.startsWith(PARAMETER_PREFIX) ? Number(name.slice(PARAMETER_PREFIX.length)) : undefined;
}

function markHolders(node: Json, holders: WeakSet<object>): boolean {
  if (node === null || typeof node !== "object") return false;
  if (parameterIndex(node) !== undefined) return true;
  let holds = false;
  for (const child of Array.isArray(node) ? node : Object.values(node)) holds = markHolders(child, holders) || holds;
  if (holds) holders.add(node);
  return holds;
}

/** The plan with each parameter replaced by its value; branches without parameters are shared, not copied. */
function fill(node: Json, values: Json[], holders: WeakSet<object>): Json {
  if (node === null || typeof node !== "object") return node;
  const index = parameterIndex(node);
  if (index !== undefined) return values[index]!;
  if (!holders.has(node)) return node;
  if (Array.isArray(node)) return node.map((child) => fill(child, values, holders));
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(node)) copy[key] = fill(value, values, holders);
  return copy;
}

/**
 * Whether two plans are the same, but for one difference that is not one: an integer the compiler saw
 * as a literal is typed `bigint` and sent as its decimal text, the same integer as a parameter is typed
 * by its field (`int`) and sent as a number. Both bind the same value.
 */
function equivalentPlans(filled: Json, literal: Json): boolean {
  if (filled === null || literal === null || typeof filled !== "object" || typeof literal !== "object") return filled === literal;
  if (Array.isArray(filled) !== Array.isArray(literal)) return false;
  if (Array.isArray(filled)) return filled.length === (literal as Json[]).length && filled.every((item, index) => equivalentPlans(item, (literal as Json[])[index]!));
  const a = filled as JsonObject;
  const b = literal as JsonObject;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length || !keys.every((key) => key in b)) return false;
  if (Array.isArray(a.args) && Array.isArray(a.argTypes) && Array.isArray(b.args) && Array.isArray(b.argTypes)) {
    const [args, types, literalArgs, literalTypes] = [a.args, a.argTypes, b.args, b.argTypes];
    if (args.length !== literalArgs.length || types.length !== literalTypes.length) return false;
    const sameArguments = args.every((arg, index) => {
      const type = types[index] as JsonObject | undefined;
      const literalType = literalTypes[index] as JsonObject | undefined;
      if (isDeepStrictEqual(arg, literalArgs[index]) && isDeepStrictEqual(type, literalType)) return true;
      return (
        typeof arg === "number" && Number.isSafeInteger(arg) && literalArgs[index] === String(arg) &&
        type?.scalarType === "int" && literalType?.scalarType === "bigint" && type.arity === literalType.arity && type.dbType === literalType.dbType
      );
    });
    return sameArguments && keys.every((key) => key === "args" || key === "argTypes" || equivalentPlans(a[key]!, b[key]!));
  }
  return keys.every((key) => equivalentPlans(a[key]!, b[key]!));
}

const installed = new Map<string, PlanCache>();


interface RuntimeDataModel {
  models: Record<string, { fields: readonly { name: string; kind: string }[] }>;
}

/** Learns the enum fields of a generated Prisma client's data model (its `_runtimeDataModel`). */
export function learnEnumFields(client: object): void {
  const dataModel = (client as { _runtimeDataModel: RuntimeDataModel })._runtimeDataModel;
  for (const model of Object.values(dataModel.models)) for (const field of model.fields) if (field.kind === "enum") enumFields.add(field.name);
}

/** Puts the cache in front of the query compiler of `provider` (once per process). */
export async function installPlanCache(provider: keyof typeof RUNTIMES): Promise<PlanCache> {
  const existing = installed.get(provider);
  if (existing) return existing;
  const specifier: string = RUNTIMES[provider];
  const runtime = (await import(specifier)) as { QueryCompiler: CompilerClass };
  const cache = new PlanCache();
  const original = runtime.QueryCompiler.prototype.compile;
  runtime.QueryCompiler.prototype.compile = function compile(this: unknown, request: string) {
    return cache.compile(this, original, request);
  };
  installed.set(provider, cache);
  return cache;
}

/** Hits, misses and uncacheable compilations so far (the benchmark and tests read them). */
export function planCacheStats(provider: keyof typeof RUNTIMES): PlanCacheStats | undefined {
  return installed.get(provider)?.stats;
}
