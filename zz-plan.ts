import { QueryCompiler } from "@prisma/client/runtime/query_compiler_bg.sqlite.mjs";
import { openDatabase } from "./src/db/database.js";
const proto = (QueryCompiler as any).prototype;
const orig = proto.compile;
let self: any;
proto.compile = function (json: string) { self = this; return orig.call(this, json); };
const db = await openDatabase("file:/tmp/exp/p.db");
await db.prisma.vm.findMany({ take: 1 });
const P = (n: string) => ({ $type: "Param", value: n });
const q = { modelName: "Vm", action: "findMany", query: { arguments: { where: { name: { contains: P("a") }, id: { in: [P("b"), P("c")] }, lastActionAt: { gt: P("d") }, driftDetected: P("e") }, take: 11 }, selection: { $scalars: true } } };
try { console.log(JSON.stringify(orig.call(self, JSON.stringify(q))).slice(0, 2500)); } catch (e) { console.log("ERR", e); }
const q2 = { modelName: "ProcessedDelivery", action: "createOne", query: { arguments: { data: { key: P("k"), createdAt: P("t") } }, selection: { $scalars: true } } };
try { console.log(JSON.stringify(orig.call(self, JSON.stringify(q2))).slice(0, 1500)); } catch (e) { console.log("ERR", e); }
await db.close();
