/**
 * A worker process for the lease-expiry test: runs the functions of lease-functions.ts on an
 * Azure Storage task hub with short partition leases, and says `READY <owned partitions>` on
 * stdout once its first lease cycle is done. The test kills it with SIGKILL, so it never
 * releases anything.
 *
 * Environment: as run-worker.ts.
 */
import "./lease-functions";
import { runWorkerProcess } from "./run-worker";

runWorkerProcess();
