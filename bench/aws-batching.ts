// `npx tsx bench/aws-batching.ts`: 1,000 VMs across two AWS regions started through the AWS adapter
// against the local EC2 fake, with EC2's documented buckets emulated (StartInstances request bucket 5,
// refill 2/s; instance bucket 1,000, refill 2/s; mutating default 50, refill 5/s). Batched (one call per
// region) beside a one-call-per-VM baseline (paced, and unpaced without retries): API calls per VM,
// throttled answers, and the time the pacer needed against the bound the buckets set. Time is virtual (the pacer and the fake share a
// clock that jumps to the next wake-up), so minutes of pacing take a second or two to measure.
import { AwsProvider } from "../src/providers/aws/aws-provider.js";
import { RequestPacer, type BucketSpec } from "../src/providers/request-pacer.js";
import { AwsEc2Fake } from "../test/support/clouds/aws-ec2-fake.js";
import { printTable, type Figure } from "./support/figures.js";
import { recordSection } from "./support/results.js";

const VMS = Number(process.env.BENCH_CLOUD_VMS ?? 1000);
const REGIONS = ["us-east-1", "eu-west-1"];
const BUCKETS = {
  StartInstances: { capacity: 5, refillPerSecond: 2 },
  "StartInstances:instances": { capacity: 1000, refillPerSecond: 2 },
  mutating: { capacity: 50, refillPerSecond: 5 },
  nonMutating: { capacity: 100, refillPerSecond: 20 },
};

/**
 * Virtual time: sleepers wake in order of their wake-up time, and time jumps straight to it — but only
 * once every request the pacer let through has been answered by the fake, as it would be in real time.
 */
class VirtualClock {
  at = 0;
  constructor(private readonly busy: () => boolean) {}
  private sleepers: { wake: number; resolve: () => void }[] = [];
  private scheduled = false;
  readonly now = () => this.at;
  readonly sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      this.sleepers.push({ wake: this.at + ms, resolve });
      this.schedule();
    });

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      if (this.busy()) return this.schedule();
      this.sleepers.sort((a, b) => a.wake - b.wake);
      const next = this.sleepers.shift();
      if (!next) return;
      this.at = Math.max(this.at, next.wake);
      next.resolve();
      if (this.sleepers.length) this.schedule();
    }, 2);
  }
}

/** The least time EC2's buckets allow for `calls` requests and `instances` instance tokens in one region. */
function boundSeconds(calls: number, instances: number): number {
  const request = Math.max(0, calls - BUCKETS.StartInstances.capacity) / BUCKETS.StartInstances.refillPerSecond;
  const perInstance = Math.max(0, instances - BUCKETS["StartInstances:instances"].capacity) / BUCKETS["StartInstances:instances"].refillPerSecond;
  return Math.max(request, perInstance);
}

/** What a client that does not pace itself gets: every call sent at once. */
class NoPacer extends RequestPacer {
  override async acquire(): Promise<void> {}
}

async function run(mode: "batched" | "one call per VM" | "one call per VM, unpaced") {
  let granted = 0;
  const fake: AwsEc2Fake = new AwsEc2Fake({ buckets: BUCKETS, now: () => clock.now() });
  const clock = new VirtualClock(() => fake.inFlight > 0 || granted > fake.calls.length);
  /** Counts the requests it lets through, so the clock knows when they have all reached the fake. */
  class CountingPacer extends RequestPacer {
    override async acquire(scope: string, category: string, spec: BucketSpec, tokens = 1): Promise<void> {
      await super.acquire(scope, category, spec, tokens);
      if (!category.endsWith(":instances")) granted += 1;
    }
  }
  await fake.start();
  try {
    const machines = Array.from({ length: VMS }, (_, index) => fake.addInstance({ region: REGIONS[index % REGIONS.length]!, name: `vm-${index}` }));
    const ids = machines.map((machine) => fake.arnOf(machine));
    const provider = new AwsProvider({
      accounts: [{ accountId: fake.accountId, regions: REGIONS, endpoint: fake.endpoint }],
      discoveryTags: {},
      pacer: mode.endsWith("unpaced") ? new NoPacer() : new CountingPacer(clock),
      credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" },
    });
    const wallStart = performance.now();
    const failures =
      mode === "batched"
        ? (await provider.powerInstances("start", ids)).filter((result) => !result.ok).length
        : (await Promise.allSettled(ids.map((id) => provider.startInstance(id)))).filter((outcome) => outcome.status === "rejected").length;
    const wallMs = performance.now() - wallStart;
    const calls = fake.callsOf("StartInstances");
    const throttled = calls.filter((call) => call.errorCode === "RequestLimitExceeded").length;
    const perRegion = REGIONS.map((region) => calls.filter((call) => call.region === region).length);
    const bound = Math.max(...REGIONS.map((region, index) => boundSeconds(perRegion[index]!, machines.filter((machine) => machine.region === region).length)));
    return {
      mode,
      vms: VMS,
      apiCalls: calls.length,
      callsPerVm: +(calls.length / VMS).toFixed(4),
      callsPerRegion: Object.fromEntries(REGIONS.map((region, index) => [region, perRegion[index]])),
      started: machines.filter((machine) => machine.state === "pending").length,
      failed: failures,
      throttledAnswers: throttled,
      pacedSeconds: +(clock.at / 1000).toFixed(1),
      boundSeconds: +bound.toFixed(1),
      wallMs: Math.round(wallMs),
    };
  } finally {
    await fake.stop();
  }
}

const [batched, perVm, unpaced] = [await run("batched"), await run("one call per VM"), await run("one call per VM, unpaced")];
const oneCallPerVm = { value: perVm.apiCalls, label: "one call per VM" };
const figures: Figure[] = [
  { name: "batched: StartInstances calls", value: batched.apiCalls, unit: "calls", baseline: oneCallPerVm, note: `one per region: ${JSON.stringify(batched.callsPerRegion)}` },
  { name: "batched: calls per VM", value: batched.callsPerVm, unit: "calls/VM", baseline: { value: perVm.callsPerVm, label: "one call per VM" } },
  { name: "batched: throttled answers", value: batched.throttledAnswers, unit: "answers", baseline: { value: unpaced.throttledAnswers, label: "unpaced, one call per VM" } },
  { name: "batched: VMs started", value: batched.started, unit: "VMs", target: { op: ">=", value: VMS } },
  { name: "one call per VM, paced: throttled answers", value: perVm.throttledAnswers, unit: "answers", baseline: { value: unpaced.throttledAnswers, label: "unpaced" } },
  // The pacer should need no more time than EC2's buckets force on any client: ratio 1.0 is the optimum.
  { name: "one call per VM, paced: time", value: perVm.pacedSeconds, unit: "s (virtual)", baseline: { value: perVm.boundSeconds, label: "least the buckets allow" } },
  { name: "one call per VM, unpaced: throttled answers", value: unpaced.throttledAnswers, unit: "answers", baseline: { value: unpaced.apiCalls, label: "calls made" }, note: `${unpaced.failed} VMs not started (no retries)` },
];
printTable(`Cloud API efficiency (${VMS.toLocaleString("en-US")} VMs across ${REGIONS.join(", ")}, AWS adapter against the EC2 fake with EC2's buckets)`, figures);
recordSection("cloud-api.aws", { vms: VMS, regions: REGIONS.join(", ") }, figures);
