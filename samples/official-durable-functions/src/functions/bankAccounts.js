const df = require("durable-functions");

df.app.entity("BankAccount", (context) => {
  const balance = context.df.getState(() => 0);
  const amount = context.df.getInput();
  switch (context.df.operationName) {
    case "deposit":
      context.df.setState(balance + amount);
      break;
    case "withdraw":
      if (amount > balance) {
        throw new Error(`Insufficient funds: ${balance} is less than ${amount}`);
      }
      context.df.setState(balance - amount);
      break;
    case "balance":
      context.df.return(balance);
      break;
  }
});

// Critical sections: while this orchestration holds the locks on both accounts, no other
// orchestration can operate on them, so the balance it checked cannot change before it
// withdraws. Concurrent transfers never overdraw the source account.
df.app.orchestration("transferFunds", function* (context) {
  const { from, to, amount } = context.df.getInput();
  const source = new df.EntityId("BankAccount", from);
  const destination = new df.EntityId("BankAccount", to);

  const lock = yield context.df.lock(source, destination);
  try {
    const lockState = context.df.isLocked();
    const lockedKeys = lockState.ownedLocks.map((entityId) => entityId.key).sort();
    const balance = yield context.df.callEntity(source, "balance");
    if (balance < amount) {
      return { transferred: false, balance, locked: lockState.isLocked, lockedKeys };
    }
    yield context.df.callEntity(source, "withdraw", amount);
    yield context.df.callEntity(destination, "deposit", amount);
    return { transferred: true, balance: balance - amount, locked: lockState.isLocked, lockedKeys };
  } finally {
    lock.release();
  }
});
