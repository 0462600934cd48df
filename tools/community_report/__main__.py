from ..community_report.cli import main

raise SystemExit(main())
