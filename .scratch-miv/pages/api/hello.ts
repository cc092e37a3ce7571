type Req = { body: any; query: Record<string, string | string[]> };
type Res = { status(n: number): Res; json(x: unknown): void };
declare function greet(name: string): string;
export default function handler(req: Req, res: Res) {
  res.status(200).json({ message: greet(req.query.name as string) });
}
