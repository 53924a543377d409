import type { DemoFacilityCode, DemoPartnerCode } from "./catalog";
import type { Random } from "./random";

/**
 * Made-up customers for the demo history, drawn from small fixed lists with the seed's
 * PRNG: the same draws give the same people. Emails use the reserved example.* domains
 * and phone numbers the ranges set aside for fiction (Ofcom 07700 900xxx, NANP
 * 555-01xx, ACMA 02 5550 xxxx), so none of them reaches a real person.
 */

const FIRST_NAMES = [
  "Amelia", "Oliver", "Priya", "Mohammed", "Chloe", "Kwame", "Mei", "Diego", "Aisha", "Liam",
  "Sofia", "Hiroshi", "Fatima", "Noah", "Zainab", "Mateo", "Grace", "Arjun", "Olivia", "Tomasz",
  "Ngozi", "Ethan", "Yuki", "Hannah", "Omar", "Isla", "Rohan", "Leila", "Jack", "Camila",
  "Wei", "Siobhan", "Kofi", "Ava", "Rafael", "Elif", "Samuel", "Anjali", "Lucas", "Nadia",
  "James", "Thandiwe", "Marco", "Ingrid", "Daniel", "Sana", "Finn", "Mariana", "Eleanor", "Tariq",
  "Lucy", "Adebayo", "Freya", "Jun", "Isabella", "Ravi", "Maya", "Connor", "Yasmin", "Zoë",
] as const;

const LAST_NAMES = [
  "Smith", "Patel", "Nguyen", "Okafor", "García", "Kim", "Müller", "Kowalski", "Ferreira", "O'Connor",
  "Chen", "Wang", "Singh", "Khan", "Ahmed", "Williams", "Johnson", "Brown", "Taylor", "Davies",
  "Evans", "Thompson", "Rodriguez", "Martínez", "Hernández", "López", "Rossi", "Dubois", "Schmidt", "Andersson",
  "Hansen", "Novak", "Ivanova", "Haddad", "Farah", "Mensah", "Boateng", "Adeyemi", "Mwangi", "Ndlovu",
  "Tanaka", "Sato", "Park", "Choi", "Lee", "Tran", "Pham", "Sharma", "Gupta", "Reddy",
  "Fernando", "Silva", "Costa", "Murphy", "Kelly", "Walsh", "MacDonald", "Campbell", "Hughes", "Clarke",
] as const;

const EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com", "post.example.org"] as const;

export interface DemoCustomer {
  name: string;
  email: string;
  phone?: string;
}

/** Lower-case ASCII for an email's local part: "Zoë O'Connor" → "zoe", "oconnor". */
function emailPart(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

function digits(random: Random, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += String(random.int(0, 9));
  return out;
}

function phoneFor(random: Random, facility: DemoFacilityCode): string {
  switch (facility) {
    case "LON-01":
      return `+44 7700 900${digits(random, 3)}`;
    case "NYC-01":
      return `+1 ${random.pick(["212", "718", "917", "646"])}-555-01${digits(random, 2)}`;
    case "SYD-01":
      return `+61 2 5550 ${digits(random, 4)}`;
  }
}

export function drawCustomer(random: Random, facility: DemoFacilityCode, partner: DemoPartnerCode): DemoCustomer {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const f = emailPart(first);
  const l = emailPart(last);
  const local = [
    () => `${f}.${l}`,
    () => `${f}${l}`,
    () => `${f[0]}${l}`,
    () => `${f}.${l}${random.int(2, 99)}`,
    () => `${f}_${l[0]}${random.int(70, 99)}`,
  ][random.weightedIndex([5, 2, 2, 2, 1])]!();
  const email = `${local}@${random.pick(EMAIL_DOMAINS)}`;
  // The phone desk always takes a number; online channels leave it optional.
  const withPhone = partner === "PHONEDESK" || random.chance(0.8);
  return { name: `${first} ${last}`, email, ...(withPhone ? { phone: phoneFor(random, facility) } : {}) };
}

/**
 * Each partner's own booking reference style, per facility: the marketplace's six-digit
 * ids, the website's running order numbers per site, the phone desk's date-stamped call
 * log numbers.
 */
export class PartnerReferences {
  private websiteOrder: number;
  private phoneDeskDay = "";
  private phoneDeskCount = 0;
  private readonly site: string;

  constructor(
    private readonly random: Random,
    facility: DemoFacilityCode,
  ) {
    this.site = facility.slice(0, 3);
    this.websiteOrder = random.int(20_000, 60_000);
  }

  next(partner: DemoPartnerCode, localDate: string): string {
    switch (partner) {
      case "MARKETPLACE":
        return `MKT-${this.random.int(100_000, 999_999)}`;
      case "WEBSITE":
        this.websiteOrder += this.random.int(1, 4);
        return `WEB-${this.site}-${this.websiteOrder}`;
      case "PHONEDESK": {
        if (localDate !== this.phoneDeskDay) {
          this.phoneDeskDay = localDate;
          this.phoneDeskCount = 0;
        }
        this.phoneDeskCount += 1;
        return `PD-${this.site}-${localDate.slice(2).replace(/-/g, "")}-${String(this.phoneDeskCount).padStart(3, "0")}`;
      }
    }
  }
}
