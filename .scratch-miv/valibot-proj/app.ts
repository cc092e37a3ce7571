import Fastify from 'fastify';
const fastify = Fastify();
declare function find(kind: 'cat' | 'dog', limit: number, verbose: boolean): unknown[];
fastify.get('/pets', async (request) => {
  const q = request.query as { kind: 'cat' | 'dog'; limit: string; verbose?: string };
  return find(q.kind, Number(q.limit), q.verbose === 'true');
});
