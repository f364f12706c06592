// Prisma 6's query compiler (wasm) turns every query into a plan, values inlined, each time it runs: the
// biggest single cost of an interaction (see README, Performance). This cache compiles a query's shape
// once: scalar values under `arguments` become named parameters, the plan compiled for that shape is kept,
// and each query gets a copy of it with its own values put back in the parameters' places.
//
// Correct by construction, not by a list of safe cases: the first time a shape is seen, it is compiled
// both ways, and the cached plan is used only if putting the first query's values into it gives exactly
// the plan compiled for those values. A shape that does not (say `contains`, whose value becomes a LIKE
// pattern) is remembered as uncacheable and always compiled as it comes. Values that change the plan's
// shape (null, list lengths, take/skip, ordering) stay part of the key. Batches (`compileBatch`) are not
// cached.
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

/** Arguments whose value shapes the plan itself: kept in the key, never a parameter. */
const SHAPING_ARGUMENTS = new Set(["take", "skip", "orderBy", "cursor", "distinct", "mode", "sort", "nulls", "by", "having", "_count", "_sum", "_avg", "_min", "_max"]);
/**
 * Enum fields of the schema, by name: PostgreSQL casts an enum literal (`CAST($1 AS "VmStatus")`) but
 * not a parameter, so their values stay in the key (they are few). Filled in from the client's data model.
 */
const enumFields = new Set<string>();
const PARAMETER_PREFIX = "vmbot$";
const MAX_SHAPES = 2000;

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
    const shape = parameterize(query, values, false);
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

/** A copy of `node` with the scalar values under `arguments` replaced by parameters, collected in order. */
function parameterize(node: Json, values: Json[], inArguments: boolean): Json {
  if (Array.isArray(node)) return node.map((item) => parameterize(item, values, inArguments));
  if (node === null || typeof node !== "object") {
    if (!inArguments || node === null) return node;
    values.push(node);
    return parameter(values.length - 1);
  }
  if (typeof node.$type === "string") {
    // Tagged values: a DateTime is inlined as its ISO string; the others (Json, BigInt, Decimal, Bytes,
    // field references, enums spelled out) keep their literal place in the key.
    if (inArguments && node.$type === "DateTime" && typeof node.value === "string") {
      values.push(node.value);
      return parameter(values.length - 1);
    }
    return node;
  }
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "data" && inArguments) copy[key] = parameterizeData(value, values);
    else if (key === "arguments") copy[key] = parameterize(value, values, true);
    else if (key === "selection") copy[key] = parameterize(value, values, false);
    else copy[key] = inArguments && (SHAPING_ARGUMENTS.has(key) || enumFields.has(key)) ? value : parameterize(value, values, inArguments);
  }
  return copy;
}

/** Nested writes a `data` object may hold; any other object value there is a Json field's value. */
const WRITE_OPERATIONS = new Set(["create", "createMany", "connect", "connectOrCreate", "disconnect", "set", "update", "updateMany", "upsert", "delete", "deleteMany", "increment", "decrement", "multiply", "divide", "push", "unset"]);

/** A Json field's value is one parameter (compiled as its JSON text); the rest is parameterized as usual. */
function parameterizeData(data: Json, values: Json[]): Json {
  if (data === null || typeof data !== "object") return parameterize(data, values, true);
  if (Array.isArray(data)) return data.map((row) => parameterizeData(row, values));
  const copy: JsonObject = {};
  for (const [field, value] of Object.entries(data)) {
    const jsonValue = value !== null && typeof value === "object" && !Array.isArray(value) && typeof value.$type !== "string" && !Object.keys(value).some((key) => WRITE_OPERATIONS.has(key));
    if (enumFields.has(field)) {
      copy[field] = value;
    } else if (jsonValue) {
      values.push(JSON.stringify(value));
      copy[field] = parameter(values.length - 1);
    } else {
      copy[field] = parameterize(value, values, true);
    }
  }
  return copy;
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


export interface RuntimeDataModel {
  models: Record<string, { fields: readonly { name: string; kind: string }[] }>;
}

/** Learns the enum fields of a client's data model (the generated client's `_runtimeDataModel`). */
export function learnEnumFields(dataModel: RuntimeDataModel): void {
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
