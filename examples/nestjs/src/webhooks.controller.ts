// The webhook routes. NestFactory.create(…, { rawBody: true }) keeps the raw bytes in
// req.rawBody; webhook() from payhook/express passes them to the receiver and sends its answer.
import { Controller, Next, Post, Req, Res } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { webhook } from 'payhook/express';
import { belvo, onEvent, r2 } from './receivers';

const r2Webhook = webhook(r2, onEvent);
const belvoWebhook = webhook(belvo, onEvent);

@Controller('webhooks')
export class WebhooksController {
  @Post('r2')
  r2(@Req() req: RawBodyRequest<Request>, @Res() res: Response, @Next() next: NextFunction) {
    return r2Webhook(req, res, next);
  }

  @Post('belvo')
  belvo(@Req() req: RawBodyRequest<Request>, @Res() res: Response, @Next() next: NextFunction) {
    return belvoWebhook(req, res, next);
  }

  // The trap, kept so the test can show payhook's refusal: main.ts gives this path its own
  // express.json(), which parses the body before Nest's parser can keep req.rawBody. The
  // receiver gets a parsed object and answers 500 body_not_raw, naming the fix.
  @Post('r2-parsed')
  r2Parsed(@Req() req: RawBodyRequest<Request>, @Res() res: Response, @Next() next: NextFunction) {
    return r2Webhook(req, res, next);
  }
}
