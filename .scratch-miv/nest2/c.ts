import { Body, Controller, Post, Req, UsePipes, ValidationPipe, PipeTransform, Injectable, Query, Get } from '@nestjs/common';
import type { Request } from 'express';
import { IsString } from 'class-validator';
class Dto { @IsString() name!: string; }
@Injectable() class ZodPipe implements PipeTransform { transform(v: unknown) { return v; } }
declare function save(x: unknown): void;
@Controller('x')
export class XController {
  @Post('a') a(@Body() dto: Dto) { save(dto.name); }
  @Post('b') @UsePipes(new ValidationPipe()) b(@Body() dto: Dto) { save(dto.name); }
  @Post('c') c(@Body(new ZodPipe()) body: { name: string }) { save(body.name); }
  @Post('d') d(@Req() req: Request) { save(req.body.name); }
  @Get('e') e(@Query('q', new ZodPipe()) q: string) { save(q); }
  @Get('f') f(@Query() q: Record<string, string>) { save(q.term); }
}
