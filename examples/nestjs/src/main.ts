// R2 and Belvo webhooks on NestJS (Express platform), behind a reverse proxy on the same host.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';

async function main() {
  // rawBody: true keeps the exact bytes in req.rawBody beside the parsed req.body.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { rawBody: true, logger: ['error', 'warn'] });
  // The trap (for the test's /webhooks/r2-parsed only; leave it out of your app): a JSON
  // parser of your own, say for a larger limit, runs before Nest's and req.rawBody is never
  // set; mounted app-wide, Nest even drops its own JSON parser (it sees one applied).
  app.use('/webhooks/r2-parsed', express.json({ limit: '5mb' }));
  // To change the JSON limit, use Nest's own parser instead: it keeps req.rawBody.
  app.useBodyParser('json', { limit: '1mb' });
  await app.listen(Number(process.env.PORT ?? 8080), '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${port}`);
}
main();
