// EC2's published request-token buckets (per account and region), from "Request throttling for the
// Amazon EC2 API": the bot paces itself inside them so it is rarely throttled at all.
import type { BucketSpec } from "../request-pacer.js";

export const EC2_REQUEST_BUCKETS = {
  /** Describe* and other non-mutating actions. */
  nonMutating: { capacity: 100, refillPerSecond: 20 },
  /** Mutating actions without a bucket of their own (RebootInstances, CreateSnapshot, DeleteSnapshot, ...). */
  mutating: { capacity: 50, refillPerSecond: 5 },
  StartInstances: { capacity: 5, refillPerSecond: 2 },
  StopInstances: { capacity: 5, refillPerSecond: 2 },
} satisfies Record<string, BucketSpec>;

/** Resource buckets: every instance named in a call takes one token. */
export const EC2_INSTANCE_BUCKETS = {
  StartInstances: { capacity: 1000, refillPerSecond: 2 },
  StopInstances: { capacity: 1000, refillPerSecond: 20 },
} satisfies Record<string, BucketSpec>;

export type Ec2RequestCategory = keyof typeof EC2_REQUEST_BUCKETS;
