import { Body, Controller, Post, Query, Get, Param } from '@nestjs/common';
interface CreateThing { name: string; size: number }
declare function persist(name: string, size: number): { id: number };
@Controller('things')
export class ThingsController {
  @Post()
  create(@Body() body: CreateThing) {
    return persist(body.name, body.size);
  }
  @Get(':id')
  one(@Param('id') id: string) {
    return persist(id, 1);
  }
}
