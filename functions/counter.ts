import * as df from "durable-ts";
import type { EntityContext } from "durable-ts";

/** A Counter entity: add, subtract, reset and get, one operation at a time per key. */
df.app.entity("Counter", (context: EntityContext<number>) => {
  const value = context.df.getState(() => 0) ?? 0;
  switch (context.df.operationName) {
    case "add":
      context.df.setState(value + Number(context.df.getInput() ?? 1));
      break;
    case "subtract":
      context.df.setState(value - Number(context.df.getInput() ?? 1));
      break;
    case "reset":
      context.df.setState(0);
      break;
    case "get":
      context.df.return(value);
      break;
    case "delete":
      context.df.destructOnExit();
      break;
  }
});
