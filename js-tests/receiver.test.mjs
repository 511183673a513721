// The receiver suite under node:test (the runtime matrix runs the same module elsewhere).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as payhook from 'payhook';
import define from './suites/receiver.mjs';

define({ payhook, test, assert, label: '[node]' });
