/** Time-ordered UUIDv7 ids for events, entities and correlation. */
import { v7 as uuidv7, validate, version } from 'uuid';

export const newId = (): string => uuidv7();

export const isUuid = (value: string): boolean => validate(value);

export const isUuidV7 = (value: string): boolean => validate(value) && version(value) === 7;
