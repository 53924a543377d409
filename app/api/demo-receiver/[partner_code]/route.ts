import { listDemoReceiverHits, receiveDemoDelivery } from "@/server/http/demo-receiver";
import { config } from "@/server/config";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Args = { params: Promise<{ partner_code: string }> };

/** The demo partner receiver (HOLDFAST_DEMO=1 only; 404 otherwise): see server/http/demo-receiver.ts. */
export async function POST(request: Request, { params }: Args): Promise<Response> {
  return receiveDemoDelivery(request, (await params).partner_code, { enabled: config().demo });
}

/** The latest webhook-ids this demo partner received. */
export async function GET(request: Request, { params }: Args): Promise<Response> {
  return listDemoReceiverHits(request, (await params).partner_code, { enabled: config().demo });
}
