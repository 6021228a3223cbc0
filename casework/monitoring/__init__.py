"""防返贫监测: the monthly work record of every labour member (务工月监测)."""
