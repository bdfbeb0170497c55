import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The project's custom search attributes: the one list that the server scripts register
 * (`--search-attribute Name=Type`) and that workflows and clients use as typed keys.
 * Workflow-safe: no Node built-ins. Values are stored unencrypted, so never put
 * secrets or personal data in them.
 */
export const CtModelId = defineSearchAttributeKey('CtModelId', SearchAttributeType.KEYWORD);
export const CtStage = defineSearchAttributeKey('CtStage', SearchAttributeType.KEYWORD);
export const CtTrigger = defineSearchAttributeKey('CtTrigger', SearchAttributeType.KEYWORD);
export const CtCandidateVersion = defineSearchAttributeKey('CtCandidateVersion', SearchAttributeType.INT);

/** Values of CtStage on a flywheel: idle, or a cycle in flight (the cycle's own CtStage names its step). */
export const FlywheelStage = { idle: 'idle', cycle: 'cycle' } as const;
export type FlywheelStage = (typeof FlywheelStage)[keyof typeof FlywheelStage];

export const SEARCH_ATTRIBUTE_KEYS = [CtModelId, CtStage, CtTrigger, CtCandidateVersion] as const;

/** Type names as the Temporal CLI's `--search-attribute Name=Type` flag spells them. */
const cliTypeName: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** `Name=Type` pairs for `temporal server start-dev --search-attribute`. */
export function searchAttributeCliPairs(): string[] {
  return SEARCH_ATTRIBUTE_KEYS.map((key) => `${key.name}=${cliTypeName[key.type]}`);
}
