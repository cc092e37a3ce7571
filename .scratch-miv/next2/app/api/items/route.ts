declare function save(name: string, qty: number): { id: number };
export const POST = async (req: Request) => {
  const { name, qty } = await req.json();
  return Response.json(save(name, qty));
};
export async function GET(req: Request) {
  const url = new URL(req.url);
  const limit = Number(url.searchParams.get('limit') ?? 10);
  return Response.json({ limit: Math.min(limit, 50) });
}
export async function PUT(req: Request) {
  const form = await req.formData();
  const file = form.get('file');
  return Response.json({ ok: file instanceof File });
}
