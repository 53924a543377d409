import {
  DEMO_UNIT_TYPE_CODES,
  DEMO_UNIT_TYPES,
  type DemoFacilityDef,
  type DemoFloorDef,
  type DemoUnitTypeCode,
  type UnitPlacement,
} from "./catalog";
import { createRandom, seedFor } from "./random";

/**
 * Lays a facility's units out on its floors, deterministically: which floor each unit
 * is on and its code (`B-114` = building B, floor 1, unit 14). Pure, so the same
 * catalog always gives the same layout.
 */

export interface PlannedUnit {
  code: string;
  unitTypeCode: DemoUnitTypeCode;
  building: string;
  floor: number;
}

function allowed(placement: UnitPlacement, floor: DemoFloorDef): boolean {
  switch (placement) {
    case "LOCKER_BANK":
      return !floor.driveUp && floor.floor === 1;
    case "INDOOR":
      return !floor.driveUp;
    case "INDOOR_UPPER":
      return !floor.driveUp && floor.floor > 1;
    case "GROUND":
      return floor.floor === 1;
    case "DRIVE_UP":
      return floor.driveUp;
  }
}

// Most constrained first, so the flexible types fill whatever space is left.
const PLACEMENT_ORDER: readonly UnitPlacement[] = ["DRIVE_UP", "LOCKER_BANK", "INDOOR_UPPER", "GROUND", "INDOOR"];

// A missing number now and then (a knocked-through wall, a plant room), as on a real site.
const GAP_CHANCE = 0.06;

export function planUnits(facility: DemoFacilityDef): PlannedUnit[] {
  const random = createRandom(seedFor(`layout:${facility.code}`));
  const remaining = facility.floors.map((f) => f.capacity);
  const onFloor: DemoUnitTypeCode[][] = facility.floors.map(() => []);

  const typesInOrder = [...DEMO_UNIT_TYPE_CODES].sort(
    (a, b) =>
      PLACEMENT_ORDER.indexOf(DEMO_UNIT_TYPES[a].placement) - PLACEMENT_ORDER.indexOf(DEMO_UNIT_TYPES[b].placement),
  );
  for (const typeCode of typesInOrder) {
    const placement = DEMO_UNIT_TYPES[typeCode].placement;
    for (let i = 0; i < facility.unitMix[typeCode].units; i++) {
      const weights = facility.floors.map((floor, index) => (allowed(placement, floor) ? remaining[index]! : 0));
      if (weights.every((w) => w <= 0)) {
        throw new Error(`${facility.code} has no room left for its ${typeCode} units; raise a floor's capacity in the catalog.`);
      }
      const index = random.weightedIndex(weights);
      remaining[index]! -= 1;
      onFloor[index]!.push(typeCode);
    }
  }

  const planned: PlannedUnit[] = [];
  facility.floors.forEach((floor, index) => {
    // Units of one size stand together along a corridor; the corridors' order varies.
    const typesHere = random.shuffle(DEMO_UNIT_TYPE_CODES.filter((code) => onFloor[index]!.includes(code)));
    let number = 0;
    for (const typeCode of typesHere) {
      const count = onFloor[index]!.filter((code) => code === typeCode).length;
      for (let i = 0; i < count; i++) {
        number += number > 0 && random.chance(GAP_CHANCE) ? 2 : 1;
        if (number > 99) {
          throw new Error(`${facility.code} floor ${floor.building}${floor.floor} needs more than 99 unit numbers.`);
        }
        planned.push({
          code: `${floor.building}-${floor.floor}${String(number).padStart(2, "0")}`,
          unitTypeCode: typeCode,
          building: floor.building,
          floor: floor.floor,
        });
      }
    }
  });
  return planned;
}
