// payhook/tools: the public API of the tools module, the same from every tools entry.
import { tools } from './tools-core.js';

export const { inspectDelivery, parseCapture, fixture, fixtureNames } = tools;
