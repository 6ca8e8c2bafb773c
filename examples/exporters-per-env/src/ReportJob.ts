import { SpanTag, Traced } from '@tracery/core';

/** A small batch job: the same spans whichever exporter is chosen. */
export class ReportJob {
  @Traced({ name: 'report-job', root: true })
  async run(@SpanTag('report.day') day: string): Promise<number> {
    const rows = await this.fetchRows(day);
    return this.render(rows).length;
  }

  @Traced()
  @SpanTag('report.rows', (rows: number[]) => rows.length)
  async fetchRows(@SpanTag('report.day') day: string): Promise<number[]> {
    await new Promise((resolve) => setTimeout(resolve, 3));
    return Array.from({ length: 3 }, (_, index) => day.length + index);
  }

  @Traced()
  render(rows: number[]): string {
    return rows.join(',');
  }
}
