"""Walk-in requests (来访诉求): intake, routing to the grid, due times in working hours,
escalation 网格 → 社区 → 街道, the lifecycle with its timeline, the queue and the figures.

小事不出网格，大事不出社区: a request goes to the grid manager of its place; what the grid cannot
settle goes up to the community, and only the largest to the subdistrict.
"""
