// Thirty machines across the five provider kinds: realistic names, regions, sizes and tags (their
// places, resource ids and dependencies are in inventory/demo.yml), one machine in `error` and one that always fails to start (for failure demos).
import type { ProviderKind } from "../providers/cloud-provider.js";
import type { FaultTable } from "../providers/simulator/stored-details.js";
import type { DemoEnvironment, DemoGroup } from "./demo-environments.js";

export type DemoSize = "small" | "medium" | "large" | "gpu";

export interface DemoVm {
  name: string;
  provider: ProviderKind;
  region: string;
  environment?: DemoEnvironment;
  group?: DemoGroup;
  status: "running" | "stopped" | "error";
  size: DemoSize;
  team: string;
  owner: string;
  publicIp?: boolean;
  faults?: FaultTable;
}

export type InstanceSize = {
  instanceType: string;
  cpu: number;
  memoryGb: number;
  diskGb: number;
};

export const INSTANCE_SIZES: Record<ProviderKind, Record<DemoSize, InstanceSize>> = {
  aws: {
    small: { instanceType: "t3.medium", cpu: 2, memoryGb: 4, diskGb: 30 },
    medium: { instanceType: "m6i.large", cpu: 2, memoryGb: 8, diskGb: 50 },
    large: { instanceType: "r6i.xlarge", cpu: 4, memoryGb: 32, diskGb: 200 },
    gpu: { instanceType: "g5.xlarge", cpu: 4, memoryGb: 16, diskGb: 250 },
  },
  azure: {
    small: { instanceType: "Standard_B2s", cpu: 2, memoryGb: 4, diskGb: 30 },
    medium: { instanceType: "Standard_D4s_v5", cpu: 4, memoryGb: 16, diskGb: 64 },
    large: { instanceType: "Standard_E8s_v5", cpu: 8, memoryGb: 64, diskGb: 256 },
    gpu: { instanceType: "Standard_NC4as_T4_v3", cpu: 4, memoryGb: 28, diskGb: 176 },
  },
  gcp: {
    small: { instanceType: "e2-medium", cpu: 2, memoryGb: 4, diskGb: 20 },
    medium: { instanceType: "e2-standard-4", cpu: 4, memoryGb: 16, diskGb: 50 },
    large: { instanceType: "n2-standard-8", cpu: 8, memoryGb: 32, diskGb: 100 },
    gpu: { instanceType: "g2-standard-4", cpu: 4, memoryGb: 16, diskGb: 100 },
  },
  oci: {
    small: { instanceType: "VM.Standard.E4.Flex", cpu: 2, memoryGb: 8, diskGb: 50 },
    medium: { instanceType: "VM.Standard.E4.Flex", cpu: 4, memoryGb: 32, diskGb: 100 },
    large: { instanceType: "VM.Standard3.Flex", cpu: 8, memoryGb: 64, diskGb: 200 },
    gpu: { instanceType: "VM.GPU.A10.1", cpu: 15, memoryGb: 240, diskGb: 500 },
  },
  simulator: {
    small: { instanceType: "sim.small", cpu: 1, memoryGb: 2, diskGb: 10 },
    medium: { instanceType: "sim.medium", cpu: 2, memoryGb: 4, diskGb: 20 },
    large: { instanceType: "sim.large", cpu: 4, memoryGb: 16, diskGb: 40 },
    gpu: { instanceType: "sim.gpu", cpu: 8, memoryGb: 32, diskGb: 80 },
  },
};

const ADMIN = "morgan.lee@example.com";
const OPS1 = "priya.natarajan@example.com";
const OPS2 = "diego.alvarez@example.com";

export const DEMO_VMS: readonly DemoVm[] = [
  // production, us-east
  { name: "prod-db-primary", provider: "aws", region: "us-east-1", environment: "production", group: "database", status: "running", size: "large", team: "payments", owner: OPS1 },
  { name: "prod-db-replica", provider: "aws", region: "us-east-1", environment: "production", group: "database", status: "running", size: "large", team: "payments", owner: OPS1 },
  { name: "prod-cache-1", provider: "azure", region: "eastus", environment: "production", group: "database", status: "running", size: "medium", team: "payments", owner: OPS1 },
  { name: "prod-api-1", provider: "aws", region: "us-east-1", environment: "production", group: "app", status: "running", size: "medium", team: "payments", owner: OPS2 },
  { name: "prod-api-2", provider: "aws", region: "us-east-1", environment: "production", group: "app", status: "running", size: "medium", team: "payments", owner: OPS2 },
  { name: "prod-worker-1", provider: "gcp", region: "us-central1", environment: "production", group: "app", status: "running", size: "medium", team: "data", owner: OPS2 },
  { name: "prod-worker-2", provider: "gcp", region: "us-central1", environment: "production", group: "app", status: "stopped", size: "medium", team: "data", owner: OPS2 },
  { name: "prod-web-1", provider: "aws", region: "us-east-1", environment: "production", group: "web", status: "running", size: "small", team: "web", owner: OPS1, publicIp: true },
  { name: "prod-web-2", provider: "azure", region: "eastus", environment: "production", group: "web", status: "running", size: "small", team: "web", owner: OPS1, publicIp: true },
  { name: "prod-web-3", provider: "oci", region: "us-ashburn-1", environment: "production", group: "web", status: "running", size: "small", team: "web", owner: OPS1, publicIp: true },
  // staging, eu-west
  { name: "stg-db-1", provider: "azure", region: "westeurope", environment: "staging", group: "database", status: "running", size: "medium", team: "payments", owner: OPS2 },
  { name: "stg-cache-1", provider: "oci", region: "eu-frankfurt-1", environment: "staging", group: "database", status: "running", size: "small", team: "payments", owner: OPS2 },
  { name: "stg-api-1", provider: "azure", region: "westeurope", environment: "staging", group: "app", status: "running", size: "small", team: "payments", owner: OPS2 },
  { name: "stg-worker-1", provider: "gcp", region: "europe-west1", environment: "staging", group: "app", status: "error", size: "small", team: "data", owner: OPS2 },
  { name: "stg-web-1", provider: "azure", region: "westeurope", environment: "staging", group: "web", status: "stopped", size: "small", team: "web", owner: OPS1, publicIp: true },
  { name: "stg-web-2", provider: "oci", region: "eu-frankfurt-1", environment: "staging", group: "web", status: "running", size: "small", team: "web", owner: OPS1, publicIp: true },
  // demo: mostly the plain simulator
  { name: "demo-db-1", provider: "simulator", region: "sim-local-1", environment: "demo", group: "database", status: "running", size: "medium", team: "platform", owner: ADMIN },
  { name: "demo-queue-1", provider: "oci", region: "eu-frankfurt-1", environment: "demo", group: "database", status: "running", size: "small", team: "platform", owner: ADMIN },
  { name: "demo-api-1", provider: "simulator", region: "sim-local-1", environment: "demo", group: "app", status: "running", size: "small", team: "platform", owner: ADMIN },
  { name: "demo-api-2", provider: "simulator", region: "sim-local-1", environment: "demo", group: "app", status: "stopped", size: "small", team: "platform", owner: ADMIN },
  { name: "demo-batch-1", provider: "gcp", region: "europe-west1", environment: "demo", group: "app", status: "stopped", size: "medium", team: "data", owner: OPS1 },
  { name: "demo-web-1", provider: "simulator", region: "sim-local-1", environment: "demo", group: "web", status: "running", size: "small", team: "web", owner: ADMIN, publicIp: true },
  { name: "demo-web-2", provider: "aws", region: "eu-west-1", environment: "demo", group: "web", status: "stopped", size: "small", team: "web", owner: ADMIN, publicIp: true },
  // outside any environment
  { name: "bastion-eu", provider: "aws", region: "eu-west-1", status: "running", size: "small", team: "platform", owner: ADMIN, publicIp: true },
  { name: "legacy-ftp", provider: "aws", region: "eu-west-1", status: "stopped", size: "small", team: "platform", owner: ADMIN },
  { name: "ci-runner-1", provider: "gcp", region: "europe-west1", status: "running", size: "large", team: "platform", owner: OPS1 },
  { name: "ci-runner-2", provider: "gcp", region: "europe-west1", status: "stopped", size: "large", team: "platform", owner: OPS1 },
  { name: "analytics-notebook", provider: "azure", region: "westeurope", status: "stopped", size: "large", team: "data", owner: OPS2 },
  {
    name: "ml-train-gpu-1",
    provider: "oci",
    region: "us-ashburn-1",
    status: "stopped",
    size: "gpu",
    team: "ml",
    owner: OPS2,
    // GPU shapes really do run out; every start fails until the fault is cleared.
    faults: { start: "InternalError: Out of host capacity." },
  },
  { name: "sandbox-1", provider: "simulator", region: "sim-eu-1", status: "stopped", size: "small", team: "platform", owner: OPS1 },
];

export function demoVm(name: string): DemoVm {
  const vm = DEMO_VMS.find((candidate) => candidate.name === name);
  if (!vm) throw new Error(`Unknown demo VM ${name}`);
  return vm;
}
