import { defaultPayloadConverter, type Client, type WorkflowHandle } from '@temporalio/client';
import type proto from '@temporalio/proto';

/** A workflow's "Current Details", read as the Temporal UI reads them (the SDK's built-in metadata query). */
export async function currentDetails(handle: WorkflowHandle): Promise<string> {
  const metadata = await handle.query<proto.temporal.api.sdk.v1.IWorkflowMetadata>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

/** The summaries of a workflow's timers, as its event history lists them. */
export async function timerSummaries(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.timerStartedEventAttributes)
    .map((e) => (e.userMetadata?.summary ? defaultPayloadConverter.fromPayload<string>(e.userMetadata.summary) : ''));
}
